#include "server/web_assets.h"

#include <httplib.h>

#include <string>

namespace mamori::server {
namespace {

// No inline scripts or styles, no third-party origins: the bundle is served from here and
// talks only to this server's API.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'";

void SetCommonHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
}

void SendIndex(httplib::Response& res) {
  SetCommonHeaders(res);
  const WebAsset* index = FindWebAsset("index.html");
  if (index == nullptr) {
    res.status = 500;
    res.set_content("web console not built into this binary\n", "text/plain; charset=utf-8");
    return;
  }
  // Always revalidated: it names the current hashed bundle files.
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::string(index->body), std::string(index->content_type));
}

}  // namespace

const WebAsset* FindWebAsset(std::string_view path) {
  for (const auto& asset : EmbeddedWebAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

void RegisterWebRoutes(httplib::Server& http) {
  http.Get("/", [](const httplib::Request&, httplib::Response& res) { SendIndex(res); });
  http.Get(R"(/ui(/.*)?)", [](const httplib::Request&, httplib::Response& res) { SendIndex(res); });

  http.Get(R"(/assets/([A-Za-z0-9._-]{1,200}))",
           [](const httplib::Request& req, httplib::Response& res) {
             SetCommonHeaders(res);
             const WebAsset* asset = FindWebAsset("assets/" + req.matches[1].str());
             if (asset == nullptr) {
               res.status = 404;
               res.set_content("not found\n", "text/plain; charset=utf-8");
               return;
             }
             // Vite puts a content hash in every file name under assets/.
             res.set_header("Cache-Control", "public, max-age=31536000, immutable");
             res.set_content(std::string(asset->body), std::string(asset->content_type));
           });

  http.Get("/lookup", [](const httplib::Request& req, httplib::Response& res) {
    std::string q = req.get_param_value("q");
    res.set_redirect(q.empty() ? "/ui/lookup" : "/ui/lookup?q=" + httplib::detail::encode_query_param(q));
  });
}

}  // namespace mamori::server
