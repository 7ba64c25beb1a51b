// TaxiiClient: reads STIX 2.1 objects from a TAXII 2.1 server (OASIS TAXII 2.1, sections 4-5).
//
// It walks discovery (`GET /taxii2/`), API roots, the collection list and the objects endpoint
// of one collection, following pagination: `more`/`next` in the envelope, or, for servers that
// page by date only, `added_after` set to the page's X-TAXII-Date-Added-Last header. Every
// request carries `Accept: application/taxii+json;version=2.1` and, when configured, HTTP basic
// auth. Each envelope is returned as it came (one document per page) for the STIX parser.
//
// The client borrows the HttpClient (which must outlive it) and owns nothing else. Its methods
// are const and thread-safe when the HttpClient is. Errors are values; JSON parsing exceptions
// are caught here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "feeds/http_client.h"

namespace mamori::feeds {

inline constexpr std::string_view kTaxiiMediaType = "application/taxii+json;version=2.1";

struct TaxiiOptions {
  std::string username;  // HTTP basic auth when non-empty
  std::string password;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (API keys, ...)
  std::string added_after;  // RFC 3339 timestamp passed as ?added_after=; empty for none
  int page_limit = 0;       // ?limit= per page; 0 lets the server choose
  int max_pages = 1000;     // a collection with more pages is an error, not a partial result
  int64_t max_total_bytes = 256LL << 20;  // over all pages of one GetObjects()
};

struct TaxiiDiscovery {
  std::string title;
  std::string default_api_root;        // absolute URL; may be empty
  std::vector<std::string> api_roots;  // absolute URLs, with a trailing '/'
};

struct TaxiiApiRoot {
  std::string url;
  std::string title;
  std::vector<std::string> versions;
  int64_t max_content_length = 0;
};

struct TaxiiCollection {
  std::string url;  // <api root>collections/<id>/
  std::string id;
  std::string title;
  std::string description;
  bool can_read = false;
  bool can_write = false;
};

// One page of GET .../objects/: the envelope body as received.
struct TaxiiPage {
  std::string url;
  std::string body;
  long status = 0;
  bool more = false;
  std::string next;
  std::string date_added_last;  // X-TAXII-Date-Added-Last; empty when the server sends none
  size_t object_count = 0;
};

struct TaxiiObjects {
  std::string collection_url;
  std::vector<TaxiiPage> pages;
  // The newest X-TAXII-Date-Added-Last seen: pass it as added_after to get only what is newer.
  std::string date_added_last;
  int64_t bytes = 0;
};

class TaxiiClient {
 public:
  TaxiiClient(HttpClient& http, TaxiiOptions options);

  // GET a discovery URL (".../taxii2/").
  Expected<TaxiiDiscovery> Discover(std::string_view discovery_url) const;
  // GET an API root's information resource.
  Expected<TaxiiApiRoot> GetApiRoot(std::string_view api_root_url) const;
  // GET {api_root}/collections/.
  Expected<std::vector<TaxiiCollection>> ListCollections(std::string_view api_root_url) const;

  // Finds the collection URL for `url` (a collection URL, an API root or a discovery URL) and
  // `collection` (an id or a title; may be empty when the URL names a collection or the server
  // offers exactly one readable collection). kNotFound lists what the server offers.
  Expected<std::string> ResolveCollection(std::string_view url, std::string_view collection) const;

  // Every page of GET {collection_url}objects/ with the configured filters.
  Expected<TaxiiObjects> GetObjects(std::string_view collection_url) const;

 private:
  Expected<HttpResponse> Request(const std::string& url) const;

  HttpClient& http_;
  TaxiiOptions options_;
  std::vector<std::pair<std::string, std::string>> request_headers_;
};

}  // namespace mamori::feeds
