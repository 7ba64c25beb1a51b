#include "feeds/taxii_client.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/clock.h"

namespace mamori::feeds {

namespace {

using nlohmann::json;

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Query values carry timestamps ("+00:00") and opaque server tokens: encode all but unreserved.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "https://h/a/b?x" -> "https://h/a/b/": TAXII resource URLs end in '/'.
std::string AsDirectory(std::string_view url) {
  if (auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  std::string out(url);
  if (out.empty() || out.back() != '/') out += '/';
  return out;
}

// Resolves `ref` (absolute, absolute-path or relative) against `base`; servers differ in which
// form they put in `api_roots`.
std::string ResolveUrl(std::string_view base, std::string_view ref) {
  if (ref.find("://") != std::string_view::npos) return std::string(ref);
  size_t scheme_end = base.find("://");
  size_t path_start = scheme_end == std::string_view::npos ? 0 : base.find('/', scheme_end + 3);
  if (path_start == std::string_view::npos) path_start = base.size();
  if (ref.starts_with("/")) return std::string(base.substr(0, path_start)) + std::string(ref);
  std::string dir = AsDirectory(base);
  return dir + std::string(ref);
}

// If `url` names a collection (".../collections/<id>/" or deeper), its canonical URL and id.
std::optional<std::pair<std::string, std::string>> CollectionOf(std::string_view url) {
  if (auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  constexpr std::string_view kMarker = "/collections/";
  // The first marker: ".../collections/<id>/objects/" has one, and an API root path rarely
  // contains the word, so the first occurrence is the resource boundary.
  size_t pos = url.find(kMarker);
  if (pos == std::string_view::npos) return std::nullopt;
  size_t id_start = pos + kMarker.size();
  size_t id_end = url.find('/', id_start);
  std::string_view id = url.substr(
      id_start, id_end == std::string_view::npos ? std::string_view::npos : id_end - id_start);
  if (id.empty()) return std::nullopt;
  return std::make_pair(std::string(url.substr(0, id_start)) + std::string(id) + "/",
                        std::string(id));
}

Expected<json> ParseJson(const HttpResponse& response, const std::string& url,
                         std::string_view what) {
  json j = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kCorrupt,
                     "expected a TAXII 2.1 " + std::string(what) + " (a JSON object); got " +
                         (response.content_type.empty() ? "no content type"
                                                        : "'" + response.content_type + "'") +
                         "; check that the URL points at a TAXII 2.1 server",
                     url);
  }
  return j;
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool BoolField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

TaxiiDiscovery ParseDiscovery(const json& j, const std::string& url) {
  TaxiiDiscovery d;
  d.title = StringField(j, "title");
  std::string def = StringField(j, "default");
  if (!def.empty()) d.default_api_root = AsDirectory(ResolveUrl(url, def));
  if (auto it = j.find("api_roots"); it != j.end() && it->is_array()) {
    for (const auto& root : *it) {
      if (root.is_string())
        d.api_roots.push_back(AsDirectory(ResolveUrl(url, root.get<std::string>())));
    }
  }
  return d;
}

std::string DescribeCollections(const std::vector<TaxiiCollection>& collections) {
  if (collections.empty()) return "the server lists no collections";
  std::string out = "available: ";
  size_t shown = 0;
  for (const auto& c : collections) {
    if (shown++ == 20) {
      out += ", ...";
      break;
    }
    if (shown > 1) out += ", ";
    out += c.id;
    if (!c.title.empty()) out += " (\"" + c.title + "\")";
    if (!c.can_read) out += " [not readable]";
  }
  return out;
}

}  // namespace

TaxiiClient::TaxiiClient(HttpClient& http, TaxiiOptions options)
    : http_(http), options_(std::move(options)) {
  request_headers_.emplace_back("Accept", std::string(kTaxiiMediaType));
  if (!options_.username.empty() || !options_.password.empty()) {
    request_headers_.emplace_back("Authorization",
                                  "Basic " + Base64(options_.username + ":" + options_.password));
  }
  for (const auto& header : options_.headers) request_headers_.push_back(header);
}

Expected<HttpResponse> TaxiiClient::Request(const std::string& url) const {
  HttpRequest request;
  request.url = url;
  request.headers = request_headers_;
  MAMORI_ASSIGN_OR_RETURN(HttpResponse response, http_.Get(request));
  if (response.status >= 200 && response.status < 300) return response;
  std::string hint;
  if (response.status == 401 || response.status == 403) {
    hint = options_.username.empty() ? "; the server wants credentials: set the source's "
                                       "\"username\"/\"password\" (or \"headers\") options"
                                     : "; check the source's \"username\"/\"password\" options";
  } else if (response.status == 404) {
    hint = "; check the URL and the \"collection\" option";
  } else if (response.status == 406 || response.status == 415) {
    hint = "; the server does not accept TAXII 2.1 (" + std::string(kTaxiiMediaType) + ")";
  }
  return MakeError(ErrorCode::kNetwork,
                   "HTTP " + std::to_string(response.status) + " from " + url + hint, url);
}

Expected<TaxiiDiscovery> TaxiiClient::Discover(std::string_view discovery_url) const {
  std::string url = AsDirectory(discovery_url);
  MAMORI_ASSIGN_OR_RETURN(HttpResponse response, Request(url));
  MAMORI_ASSIGN_OR_RETURN(json j, ParseJson(response, url, "discovery resource"));
  return ParseDiscovery(j, url);
}

Expected<TaxiiApiRoot> TaxiiClient::GetApiRoot(std::string_view api_root_url) const {
  TaxiiApiRoot root;
  root.url = AsDirectory(api_root_url);
  MAMORI_ASSIGN_OR_RETURN(HttpResponse response, Request(root.url));
  MAMORI_ASSIGN_OR_RETURN(json j, ParseJson(response, root.url, "API root"));
  root.title = StringField(j, "title");
  if (auto it = j.find("versions"); it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) root.versions.push_back(v.get<std::string>());
    }
  }
  if (auto it = j.find("max_content_length"); it != j.end() && it->is_number_integer()) {
    root.max_content_length = it->get<int64_t>();
  }
  return root;
}

Expected<std::vector<TaxiiCollection>> TaxiiClient::ListCollections(
    std::string_view api_root_url) const {
  std::string root = AsDirectory(api_root_url);
  std::string url = root + "collections/";
  MAMORI_ASSIGN_OR_RETURN(HttpResponse response, Request(url));
  MAMORI_ASSIGN_OR_RETURN(json j, ParseJson(response, url, "collections resource"));
  std::vector<TaxiiCollection> out;
  auto it = j.find("collections");
  if (it == j.end()) return out;  // the spec allows an empty object for "no collections"
  if (!it->is_array()) {
    return MakeError(ErrorCode::kCorrupt, "\"collections\" is not an array", url);
  }
  for (const auto& c : *it) {
    if (!c.is_object()) continue;
    TaxiiCollection collection;
    collection.id = StringField(c, "id");
    if (collection.id.empty() || collection.id.find('/') != std::string::npos) continue;
    collection.title = StringField(c, "title");
    collection.description = StringField(c, "description");
    collection.can_read = BoolField(c, "can_read");
    collection.can_write = BoolField(c, "can_write");
    collection.url = url + PercentEncode(collection.id) + "/";
    out.push_back(std::move(collection));
  }
  return out;
}

Expected<std::string> TaxiiClient::ResolveCollection(std::string_view url,
                                                     std::string_view collection) const {
  if (auto named = CollectionOf(url)) {
    if (!collection.empty() && collection != named->second) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the URL names collection '" + named->second +
                           "' but the \"collection\" option says '" + std::string(collection) +
                           "'; drop one of them",
                       std::string(url));
    }
    return named->first;
  }

  // Discovery or API root: ask the server which one it is.
  std::string start = AsDirectory(url);
  MAMORI_ASSIGN_OR_RETURN(HttpResponse response, Request(start));
  MAMORI_ASSIGN_OR_RETURN(json j, ParseJson(response, start, "discovery resource or API root"));
  std::vector<std::string> roots;
  if (j.contains("api_roots") || j.contains("default")) {
    TaxiiDiscovery discovery = ParseDiscovery(j, start);
    if (!discovery.default_api_root.empty()) roots.push_back(discovery.default_api_root);
    for (const auto& r : discovery.api_roots) {
      if (std::find(roots.begin(), roots.end(), r) == roots.end()) roots.push_back(r);
    }
    if (roots.empty()) {
      return MakeError(ErrorCode::kNotFound, "the discovery resource lists no API roots", start);
    }
  } else {
    roots.push_back(start);
  }

  std::vector<TaxiiCollection> all;
  for (const auto& root : roots) {
    MAMORI_ASSIGN_OR_RETURN(auto collections, ListCollections(root));
    all.insert(all.end(), collections.begin(), collections.end());
  }

  std::vector<const TaxiiCollection*> matches;
  if (collection.empty()) {
    for (const auto& c : all) {
      if (c.can_read) matches.push_back(&c);
    }
    if (matches.size() != 1) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the server offers " + std::to_string(matches.size()) +
                           " readable collections; set the source's \"collection\" option to "
                           "one id or title (" +
                           DescribeCollections(all) + ")",
                       start);
    }
  } else {
    for (const auto& c : all) {
      if (c.id == collection) matches.push_back(&c);
    }
    if (matches.empty()) {
      std::string wanted = ToLower(collection);
      for (const auto& c : all) {
        if (ToLower(c.title) == wanted) matches.push_back(&c);
      }
    }
    if (matches.empty()) {
      return MakeError(ErrorCode::kNotFound,
                       "no collection with id or title '" + std::string(collection) + "' (" +
                           DescribeCollections(all) + ")",
                       start);
    }
    if (matches.size() > 1) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "several collections are titled '" + std::string(collection) +
                           "'; use the id instead (" + DescribeCollections(all) + ")",
                       start);
    }
    if (!matches.front()->can_read) {
      return MakeError(ErrorCode::kRejected,
                       "collection '" + matches.front()->id +
                           "' is not readable (can_read is false) with these credentials",
                       start);
    }
  }
  return matches.front()->url;
}

Expected<TaxiiObjects> TaxiiClient::GetObjects(std::string_view collection_url) const {
  TaxiiObjects result;
  result.collection_url = AsDirectory(collection_url);
  std::string added_after = options_.added_after;
  std::string next;
  UnixSeconds newest = -1;

  for (int page = 0;; ++page) {
    if (page >= std::max(1, options_.max_pages)) {
      // A partial collection would look like mass delisting to the updater: refuse it.
      return MakeError(ErrorCode::kTooLarge,
                       "the collection has more than " + std::to_string(options_.max_pages) +
                           " pages; raise the source's \"max_pages\" or \"page_limit\" option",
                       result.collection_url);
    }
    std::string query;
    auto add_param = [&](std::string_view name, std::string_view value) {
      query += query.empty() ? '?' : '&';
      query += std::string(name) + "=" + PercentEncode(value);
    };
    if (!added_after.empty()) add_param("added_after", added_after);
    if (options_.page_limit > 0) add_param("limit", std::to_string(options_.page_limit));
    if (!next.empty()) add_param("next", next);

    TaxiiPage p;
    p.url = result.collection_url + "objects/" + query;
    MAMORI_ASSIGN_OR_RETURN(HttpResponse response, Request(p.url));
    p.status = response.status;
    if (auto it = response.headers.find("x-taxii-date-added-last"); it != response.headers.end()) {
      p.date_added_last = it->second;
    }
    std::string_view trimmed = response.body;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
      trimmed.remove_prefix(1);
    }
    if (trimmed.empty()) response.body = "{}";  // some servers send nothing for "no objects"
    MAMORI_ASSIGN_OR_RETURN(json envelope, ParseJson(response, p.url, "envelope"));
    p.more = BoolField(envelope, "more");
    p.next = StringField(envelope, "next");
    if (auto it = envelope.find("objects"); it != envelope.end()) {
      if (!it->is_array()) {
        return MakeError(ErrorCode::kCorrupt, "\"objects\" in the envelope is not an array", p.url);
      }
      p.object_count = it->size();
    }
    result.bytes += static_cast<int64_t>(response.body.size());
    if (result.bytes > options_.max_total_bytes) {
      return MakeError(ErrorCode::kTooLarge,
                       "the collection's pages exceed the size cap of " +
                           std::to_string(options_.max_total_bytes) +
                           " bytes; raise [feeds] max_download_bytes or set \"added_after\"",
                       result.collection_url);
    }
    if (!p.date_added_last.empty()) {
      UnixSeconds t = ParseTimestamp(p.date_added_last);
      if (t >= newest) {
        newest = t;
        result.date_added_last = p.date_added_last;
      }
    }
    p.body = std::move(response.body);
    const bool more = p.more;
    const std::string page_next = p.next;
    const std::string page_last = p.date_added_last;
    const std::string page_url = p.url;
    result.pages.push_back(std::move(p));
    if (!more) break;

    if (!page_next.empty()) {
      if (page_next == next) {
        return MakeError(ErrorCode::kCorrupt,
                         "the server returned the same \"next\" token twice ('" + next +
                             "'); stopping instead of looping",
                         page_url);
      }
      next = page_next;
    } else if (!page_last.empty()) {
      // Date-based paging (servers without `next`): resume after the newest object seen.
      if (page_last == added_after) {
        return MakeError(ErrorCode::kCorrupt,
                         "the server says more objects follow but X-TAXII-Date-Added-Last did "
                         "not advance past " +
                             added_after,
                         page_url);
      }
      added_after = page_last;
      next.clear();
    } else {
      return MakeError(ErrorCode::kCorrupt,
                       "the server says more objects follow but gives neither \"next\" nor "
                       "X-TAXII-Date-Added-Last, so the next page cannot be requested",
                       page_url);
    }
  }
  return result;
}

}  // namespace mamori::feeds
