// The operator's web console (web/, docs/web-console.md): files built by Vite at build time and
// embedded into the binary by cmake/embed_web.cmake, so `mamori` stays one file.
//
//   GET /                 index.html (Cache-Control: no-cache)
//   GET /ui, /ui/...      index.html too: the console's client-side routes (reload, deep links)
//   GET /assets/<file>    hashed bundle files (Cache-Control: immutable, one year)
//   GET /lookup?q=V       302 to /ui/lookup?q=V (the old status page's lookup form)
// Every response carries a strict Content-Security-Policy (default-src 'self') and
// X-Content-Type-Options: nosniff; httplib gzips text bodies when the client accepts it.
// The asset table is immutable static data: safe to read from any thread.
#pragma once

#include <span>
#include <string_view>

namespace httplib {
class Server;
}

namespace mamori::server {

struct WebAsset {
  std::string_view path;          // relative to the build output: "index.html", "assets/x.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

// Every embedded file (defined in the generated web_assets_embedded.cc).
std::span<const WebAsset> EmbeddedWebAssets();

// The embedded file at `path` (no leading slash), or null.
const WebAsset* FindWebAsset(std::string_view path);

void RegisterWebRoutes(httplib::Server& http);

}  // namespace mamori::server
