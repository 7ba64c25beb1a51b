#include "feeds/fetcher.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "feeds/format.h"
#include "feeds/parser.h"
#include "feeds/taxii_client.h"

namespace mamori::feeds {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Keys of options_json that the fetcher reads. Every other key belongs to the parser
// (ParserOptions), which rejects the ones it does not know; ParserOptions::FromJson in turn
// must skip these.
struct FetchOptions {
  std::vector<std::pair<std::string, std::string>> headers;  // "headers": {"Name": "value"}
  std::string collection;                                    // taxii
  std::string username;                                      // taxii
  std::string password;                                      // taxii
  std::string added_after;                                   // taxii, RFC 3339
  int page_limit = 0;                                        // taxii
  int max_pages = 1000;                                      // taxii
};

enum class Transport { kFile, kHttp };

Expected<FetchOptions> ParseFetchOptions(const std::string& text, FeedFormat format,
                                         Transport transport) {
  auto invalid = [](std::string message) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(message), "options");
  };
  json j = json::parse(text.empty() ? std::string("{}") : text, nullptr,
                       /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return invalid("options must be a JSON object");

  FetchOptions out;
  json rest = json::object();
  auto taxii_only = [&](const std::string& key) -> Status {
    if (format != FeedFormat::kTaxii) {
      return invalid("option '" + key + "' applies only to format taxii");
    }
    return Ok();
  };
  auto string_value = [&](const std::string& key, const json& v, std::string& target) -> Status {
    MAMORI_RETURN_IF_ERROR(taxii_only(key));
    if (!v.is_string()) return invalid("option '" + key + "' must be a string");
    target = v.get<std::string>();
    return Ok();
  };
  auto int_value = [&](const std::string& key, const json& v, int& target) -> Status {
    MAMORI_RETURN_IF_ERROR(taxii_only(key));
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1'000'000) {
      return invalid("option '" + key + "' must be an integer from 1 to 1000000");
    }
    target = static_cast<int>(v.get<int64_t>());
    return Ok();
  };

  for (const auto& [key, value] : j.items()) {
    if (key == "headers") {
      if (transport != Transport::kHttp) {
        return invalid("option 'headers' applies only to http(s) sources");
      }
      if (!value.is_object()) {
        return invalid("option 'headers' must be an object of header names to string values");
      }
      for (const auto& [name, v] : value.items()) {
        if (!v.is_string()) return invalid("header '" + name + "' must have a string value");
        out.headers.emplace_back(name, v.get<std::string>());
      }
    } else if (key == "collection") {
      MAMORI_RETURN_IF_ERROR(string_value(key, value, out.collection));
    } else if (key == "username") {
      MAMORI_RETURN_IF_ERROR(string_value(key, value, out.username));
    } else if (key == "password") {
      MAMORI_RETURN_IF_ERROR(string_value(key, value, out.password));
    } else if (key == "added_after") {
      MAMORI_RETURN_IF_ERROR(string_value(key, value, out.added_after));
      UnixSeconds t = ParseTimestamp(out.added_after);
      if (t < 0) {
        return invalid(
            "option 'added_after' must be an RFC 3339 timestamp such as "
            "\"2024-01-31T00:00:00Z\"");
      }
      // TAXII wants a timestamp; plain Unix seconds are a convenience we translate.
      if (out.added_after.find_first_not_of("0123456789") == std::string::npos) {
        out.added_after = FormatIso8601(t);
      }
    } else if (key == "page_limit") {
      MAMORI_RETURN_IF_ERROR(int_value(key, value, out.page_limit));
    } else if (key == "max_pages") {
      MAMORI_RETURN_IF_ERROR(int_value(key, value, out.max_pages));
    } else {
      rest[key] = value;
    }
  }
  // Whatever is left must be a parser option; the parser names any key it does not know.
  if (!rest.empty()) {
    auto parser_options = ParserOptions::FromJson(rest.dump());
    if (!parser_options) return tl::unexpected(parser_options.error());
  }
  return out;
}

std::string HttpReason(long status) {
  switch (status) {
    case 400:
      return " Bad Request";
    case 401:
      return " Unauthorized";
    case 403:
      return " Forbidden";
    case 404:
      return " Not Found";
    case 410:
      return " Gone";
    case 429:
      return " Too Many Requests";
    case 500:
      return " Internal Server Error";
    case 502:
      return " Bad Gateway";
    case 503:
      return " Service Unavailable";
    case 504:
      return " Gateway Timeout";
    default:
      return "";
  }
}

// Turns a non-2xx response into the error FetchSource promises (the caller handles 304).
Status CheckStatus(const HttpResponse& response, const std::string& url) {
  if (response.status >= 200 && response.status < 300) return Ok();
  std::string message =
      "HTTP " + std::to_string(response.status) + HttpReason(response.status) + " from " + url;
  if (response.status == 401 || response.status == 403) {
    message += "; if the feed needs a key, set it with the source's \"headers\" option";
  } else if (response.status == 404 || response.status == 410) {
    message += "; check the source URL";
  } else if (response.status >= 500 || response.status == 429) {
    message += " (after " + std::to_string(response.attempts) +
               " attempts); the server is failing, the next refresh tries again";
  } else if (response.status < 400) {
    message = "unexpected HTTP " + std::to_string(response.status) + " from " + url +
              " (only 2xx and 304 carry a feed)";
  }
  return MakeError(ErrorCode::kNetwork, std::move(message), url);
}

Status CheckTotal(int64_t bytes, int64_t max_bytes, const std::string& where) {
  if (bytes <= max_bytes) return Ok();
  return MakeError(ErrorCode::kTooLarge,
                   "the documents of this source exceed the size cap of " +
                       std::to_string(max_bytes) +
                       " bytes; raise [feeds] max_download_bytes if that is expected",
                   where);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Expected<std::string> ReadLocalFile(const std::string& path, int64_t max_bytes) {
  auto io_error = [&](const std::string& why) {
    return MakeError(ErrorCode::kIo, "cannot read feed file: " + why + "; check the source's path",
                     path);
  };
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    return io_error(ec ? ec.message() : std::string(std::strerror(ENOENT)));
  }
  if (fs::is_directory(st)) return io_error("it is a directory");
  auto too_large = [&] {
    return MakeError(ErrorCode::kTooLarge,
                     "file is larger than the size cap of " + std::to_string(max_bytes) +
                         " bytes; raise [feeds] max_download_bytes if that is expected",
                     path);
  };
  if (fs::is_regular_file(st)) {
    auto size = fs::file_size(path, ec);
    if (!ec && static_cast<int64_t>(size) > max_bytes) return too_large();
  }
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return io_error(std::strerror(errno));
  std::string body;
  char buffer[64 * 1024];
  // The size check above is advisory (the file may grow, or be a pipe): the cap holds here.
  while (size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) {
    if (static_cast<int64_t>(body.size() + n) > max_bytes) return too_large();
    body.append(buffer, n);
  }
  if (std::ferror(file.get())) return io_error(std::strerror(errno));
  return body;
}

// "file:///a/b" -> "/a/b", "file://localhost/a" -> "/a", "file://rel/x" -> "rel/x".
std::string FilePath(std::string_view url) {
  constexpr std::string_view kScheme = "file://";
  if (!url.starts_with(kScheme)) return std::string(url);
  url.remove_prefix(kScheme.size());
  if (url.starts_with("localhost/")) url.remove_prefix(std::string_view("localhost").size());
  return std::string(url);
}

// MISP event file names come from the (untrusted) manifest: allow only UUIDs, so a key such
// as "../../secret" can never address anything outside the feed directory.
bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Fetch {
 public:
  Fetch(const store::SourceRecord& source, HttpClient& http, int64_t max_bytes, Transport transport,
        FetchOptions options)
      : source_(source),
        http_(http),
        max_bytes_(max_bytes),
        transport_(transport),
        options_(std::move(options)) {}

  Expected<FetchResult> Single() {
    FetchResult result;
    if (transport_ == Transport::kFile) {
      std::string path = FilePath(source_.url);
      MAMORI_ASSIGN_OR_RETURN(std::string body, ReadLocalFile(path, max_bytes_));
      result.bytes = static_cast<int64_t>(body.size());
      result.documents.push_back({path, std::move(body)});
      return result;
    }
    MAMORI_ASSIGN_OR_RETURN(HttpResponse response, ConditionalGet(source_.url));
    result.http_status = response.status;
    if (response.NotModified()) return NotModified(response);
    MAMORI_RETURN_IF_ERROR(CheckStatus(response, source_.url));
    MAMORI_RETURN_IF_ERROR(
        CheckTotal(static_cast<int64_t>(response.body.size()), max_bytes_, source_.url));
    result.etag = response.etag;
    result.last_modified = response.last_modified;
    result.bytes = static_cast<int64_t>(response.body.size());
    result.documents.push_back({source_.url, std::move(response.body)});
    return result;
  }

  Expected<FetchResult> Misp() {
    // The base is the feed directory; the URL may name it or its manifest.json.
    std::string base =
        transport_ == Transport::kFile ? FilePath(source_.url) : std::string(source_.url);
    if (base.ends_with("manifest.json")) {
      base.resize(base.size() - std::string_view("manifest.json").size());
    }
    if (transport_ == Transport::kHttp) {
      if (auto q = base.find_first_of("?#"); q != std::string::npos) base.resize(q);
    }
    if (base.empty()) base = "./";
    if (base.back() != '/') base += '/';
    const std::string manifest_location = base + "manifest.json";

    FetchResult result;
    std::string manifest;
    if (transport_ == Transport::kFile) {
      MAMORI_ASSIGN_OR_RETURN(manifest, ReadLocalFile(manifest_location, max_bytes_));
    } else {
      MAMORI_ASSIGN_OR_RETURN(HttpResponse response, ConditionalGet(manifest_location));
      result.http_status = response.status;
      // MISP regenerates manifest.json whenever an event changes, so an unchanged manifest
      // means unchanged events.
      if (response.NotModified()) return NotModified(response);
      MAMORI_RETURN_IF_ERROR(CheckStatus(response, manifest_location));
      result.etag = response.etag;
      result.last_modified = response.last_modified;
      manifest = std::move(response.body);
    }
    int64_t total = static_cast<int64_t>(manifest.size());
    MAMORI_RETURN_IF_ERROR(CheckTotal(total, max_bytes_, manifest_location));

    json j = json::parse(manifest, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return MakeError(ErrorCode::kCorrupt,
                       "a MISP feed manifest must be a JSON object keyed by event UUID; check "
                       "that the URL points at a MISP feed directory",
                       manifest_location);
    }
    for (const auto& [uuid, unused] : j.items()) {
      if (!IsUuid(uuid)) {
        return MakeError(ErrorCode::kCorrupt,
                         "manifest key '" + uuid.substr(0, 80) + "' is not an event UUID",
                         manifest_location);
      }
    }
    // One missing event fails the whole fetch: a partial snapshot would delist its entries.
    for (const auto& [uuid, unused] : j.items()) {
      const std::string location = base + uuid + ".json";
      std::string body;
      if (transport_ == Transport::kFile) {
        MAMORI_ASSIGN_OR_RETURN(body, ReadLocalFile(location, max_bytes_));
      } else {
        HttpRequest request;
        request.url = location;
        request.headers = options_.headers;
        MAMORI_ASSIGN_OR_RETURN(HttpResponse response, http_.Get(request));
        MAMORI_RETURN_IF_ERROR(CheckStatus(response, location));
        body = std::move(response.body);
      }
      total += static_cast<int64_t>(body.size());
      MAMORI_RETURN_IF_ERROR(CheckTotal(total, max_bytes_, location));
      result.documents.push_back({location, std::move(body)});
    }
    result.bytes = total;
    return result;
  }

  Expected<FetchResult> Taxii() {
    if (transport_ != Transport::kHttp) {
      return MakeError(ErrorCode::kInvalidArgument, "a TAXII source needs an http(s) URL",
                       source_.url);
    }
    TaxiiOptions taxii;
    taxii.username = options_.username;
    taxii.password = options_.password;
    taxii.headers = options_.headers;
    taxii.added_after = options_.added_after;
    taxii.page_limit = options_.page_limit;
    taxii.max_pages = options_.max_pages;
    taxii.max_total_bytes = max_bytes_;
    TaxiiClient client(http_, std::move(taxii));
    MAMORI_ASSIGN_OR_RETURN(std::string collection_url,
                            client.ResolveCollection(source_.url, options_.collection));
    MAMORI_ASSIGN_OR_RETURN(TaxiiObjects objects, client.GetObjects(collection_url));
    FetchResult result;
    result.http_status = objects.pages.empty() ? 0 : objects.pages.front().status;
    result.bytes = objects.bytes;
    for (auto& page : objects.pages) {
      result.documents.push_back({std::move(page.url), std::move(page.body)});
    }
    return result;
  }

 private:
  Expected<HttpResponse> ConditionalGet(const std::string& url) {
    HttpRequest request;
    request.url = url;
    request.headers = options_.headers;
    request.if_none_match = source_.etag;
    request.if_modified_since = source_.last_modified;
    MAMORI_ASSIGN_OR_RETURN(HttpResponse response, http_.Get(request));
    if (response.NotModified() && source_.etag.empty() && source_.last_modified.empty()) {
      return MakeError(ErrorCode::kNetwork,
                       "HTTP 304 Not Modified from " + url + " to an unconditional request", url);
    }
    return response;
  }

  FetchResult NotModified(const HttpResponse& response) const {
    FetchResult result;
    result.not_modified = true;
    result.http_status = response.status;
    // A 304 may repeat or refresh the validators; keep the stored ones when it does not.
    result.etag = response.etag.empty() ? source_.etag : response.etag;
    result.last_modified =
        response.last_modified.empty() ? source_.last_modified : response.last_modified;
    return result;
  }

  const store::SourceRecord& source_;
  HttpClient& http_;
  const int64_t max_bytes_;
  const Transport transport_;
  const FetchOptions options_;
};

}  // namespace

Expected<FetchResult> FetchSource(const store::SourceRecord& source, HttpClient& http,
                                  int64_t max_bytes) {
  const std::string context = "source '" + source.name + "'";
  std::optional<FeedFormat> format =
      source.format.empty() ? GuessFeedFormat(source.url) : ParseFeedFormat(source.format);
  if (!format) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown feed format '" + source.format + "'",
                     context);
  }

  if (source.url.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the source has no URL or path", context);
  }
  Transport transport;
  const size_t scheme_end = source.url.find("://");
  const std::string scheme =
      scheme_end == std::string::npos ? "" : Lower(source.url.substr(0, scheme_end));
  if (scheme.empty() || scheme == "file") {
    transport = Transport::kFile;
  } else if (scheme == "http" || scheme == "https") {
    transport = Transport::kHttp;
  } else {
    return MakeError(ErrorCode::kUnsupported,
                     "URL scheme '" + scheme +
                         "' is not supported; use http(s)://, file:// or "
                         "a local path",
                     context + ": " + source.url);
  }

  auto options = ParseFetchOptions(source.options_json, *format, transport);
  if (!options) return tl::unexpected(options.error().WithContext(context));

  Fetch fetch(source, http, max_bytes, transport, std::move(*options));
  Expected<FetchResult> result = [&] {
    switch (*format) {
      case FeedFormat::kMisp:
        return fetch.Misp();
      case FeedFormat::kTaxii:
        return fetch.Taxii();
      default:
        return fetch.Single();
    }
  }();
  if (!result) return tl::unexpected(result.error().WithContext(context));
  return result;
}

}  // namespace mamori::feeds
