// Fetcher: gets every document of one source, whatever its transport.
//
//   local file      url is a path or file://path; read with the size cap
//   http(s)         one GET, conditional on the source's stored ETag / Last-Modified
//   misp            url is the feed base (".../") or its manifest.json; GETs the manifest,
//                   then each event <uuid>.json listed in it (one document per event)
//   taxii           url is a TAXII 2.1 collection (".../collections/<id>/") or an API root or
//                   discovery URL with options {"collection": "<id or title>"}; follows
//                   pagination (`more`/`next`) and returns each envelope as one document
//
// HTTP statuses >= 400 are errors (kNetwork, message names the status and URL); 304 gives
// not_modified with no documents. Thread-safe if the HttpClient is.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "feeds/http_client.h"
#include "store/records.h"

namespace mamori::feeds {

struct FetchedDocument {
  std::string origin;  // URL or path of this document
  std::string body;
};

struct FetchResult {
  bool not_modified = false;
  std::vector<FetchedDocument> documents;
  std::string etag;           // validators to store for the next conditional fetch
  std::string last_modified;
  long http_status = 0;       // of the main request; 0 for local files
  int64_t bytes = 0;          // total body bytes
};

// Keys of a source's options object that the fetcher reads; the parser skips exactly these
// (ParserOptions::FromJson) and names any other key it does not know.
inline constexpr std::array<std::string_view, 7> kFetchOptionKeys = {
    "headers", "collection", "username", "password", "added_after", "page_limit", "max_pages"};

Expected<FetchResult> FetchSource(const store::SourceRecord& source, HttpClient& http,
                                  int64_t max_bytes);

}  // namespace mamori::feeds
