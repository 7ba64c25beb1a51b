#include "server/sample_routes.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "malware/report/plain_iocs.h"
#include "server/auth/auth.h"
#include "server/auth/auth_routes.h"
#include "server/json_reply.h"
#include "server/sample_queue.h"

namespace mamori::server {
namespace {

using nlohmann::json;

// Times are ISO 8601, or null when not reached yet (docs/api.md).
json Time(UnixSeconds t) { return t > 0 ? json(FormatIso8601(t)) : json(nullptr); }

json SampleToJson(const store::SampleRecord& s) {
  json summary = json::parse(s.summary_json, nullptr, false);
  json out = {{"id", s.id},
              {"sha256", s.sha256},
              {"file_name", s.file_name},
              {"size", s.size},
              {"submitted_at", Time(s.submitted_at)},
              {"submitted_by", s.submitted_by},
              {"status", s.status},
              {"report_status", s.report_status},
              {"summary", summary.is_discarded() ? json::object() : summary},
              {"started_at", Time(s.started_at)},
              {"finished_at", Time(s.finished_at)},
              {"report", fmt::format("{}/{}/report", kSamplesPath, s.id)}};
  if (!s.error.empty()) out["error"] = s.error;
  return out;
}

Expected<int64_t> PositiveParam(const httplib::Request& req, const char* name, int64_t max,
                                int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  std::string text = req.get_param_value(name);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} must be a number from 1 to {}", name, max), text);
  }
  return n;
}

// The route's pattern allows only 1-18 digits.
int64_t IdOf(const httplib::Request& req) {
  int64_t id = 0;
  std::string text = req.matches[1].str();
  std::from_chars(text.data(), text.data() + text.size(), id);
  return id;
}

}  // namespace

void RegisterSampleRoutes(httplib::Server& http, store::Store& store, Clock& clock,
                          SampleQueue* queue, size_t max_sample_bytes,
                          auth::Authenticator& auth) {
  using auth::Role;
  http.Post("/api/v1/samples", [&, queue, max_sample_bytes](const httplib::Request& req,
                                                    httplib::Response& res) {
    auto who = auth.Authorize(req, res, Role::kOperator);
    if (!who) return;
    if (queue == nullptr) {
      return SendError(res, 503,
                       Error{ErrorCode::kBusy,
                             "sample analysis is not enabled: set [analysis] enabled in mamori.toml",
                             std::string(kSamplesPath)});
    }
    std::string_view body = req.body;
    std::string name = req.get_param_value("name");
    if (req.is_multipart_form_data()) {
      if (!req.has_file("file")) {
        return SendError(res, 400,
                         Error{ErrorCode::kInvalidArgument,
                               "multipart upload without a `file` part", std::string(kSamplesPath)});
      }
      const auto& part = req.files.find("file")->second;
      body = part.content;
      if (name.empty()) name = part.filename;
    }
    // A chunked body has no Content-Length for ApiServer to check before reading it.
    if (body.size() > max_sample_bytes) {
      return SendError(res, 413,
                       Error{ErrorCode::kInvalidArgument,
                             fmt::format("the sample is larger than the limit of {} MiB",
                                         max_sample_bytes >> 20),
                             std::string(kSamplesPath)});
    }
    if (body.empty()) {
      return SendError(res, 400,
                       Error{ErrorCode::kInvalidArgument,
                             "empty body: send the sample's bytes (application/octet-stream)",
                             std::string(kSamplesPath)});
    }
    auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
    auto added = queue->Submit(bytes, name, who->Actor());
    if (!added) return SendError(res, added.error());
    auth::Audit(store, clock, who->Actor(), "sample_submit", added->sha256,
          json{{"id", added->id}, {"file_name", added->file_name}, {"size", added->size}}.dump());
    std::string location = fmt::format("{}/{}", kSamplesPath, added->id);
    res.set_header("Location", location);
    SendJson(res, 202, {{"id", added->id}, {"sha256", added->sha256},
                        {"file_name", added->file_name}, {"status", added->status},
                        {"location", location}});
  });

  http.Get("/api/v1/samples", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto before = PositiveParam(req, "before_id", INT64_MAX, 0);
    if (!before) return SendError(res, before.error());
    auto limit = PositiveParam(req, "limit", 1000, 100);
    if (!limit) return SendError(res, limit.error());
    auto rows = store.ListSamples(*before, static_cast<int>(*limit));
    if (!rows) return SendError(res, rows.error());
    json list = json::array();
    for (const auto& s : *rows) list.push_back(SampleToJson(s));
    json next = rows->size() == static_cast<size_t>(*limit) && !rows->empty()
                    ? json(rows->back().id)
                    : json(nullptr);
    SendJson(res, 200, {{"samples", std::move(list)}, {"next_before_id", next}});
  });

  http.Get(R"(/api/v1/samples/(\d{1,18}))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto sample = store.GetSample(IdOf(req), false);
    if (!sample) return SendError(res, sample.error());
    if (!*sample) {
      return SendError(res, 404, Error{ErrorCode::kNotFound, "no such sample", req.matches[1].str()});
    }
    SendJson(res, 200, SampleToJson(**sample));
  });

  http.Get(R"(/api/v1/samples/(\d{1,18})/report)",
           [&](const httplib::Request& req, httplib::Response& res) {
             if (!auth.Authorize(req, res, Role::kViewer)) return;
             auto sample = store.GetSample(IdOf(req), true);
             if (!sample) return SendError(res, sample.error());
             if (!*sample) {
               return SendError(res, 404, Error{ErrorCode::kNotFound, "no such sample",
                                                req.matches[1].str()});
             }
             if ((*sample)->report_json.empty()) {
               return SendError(res, 404,
                                Error{ErrorCode::kNotFound,
                                      fmt::format("no report yet: the sample is {}",
                                                  (*sample)->status),
                                      req.matches[1].str()});
             }
             // Stored as the worker wrote it (valid JSON, U+FFFD for invalid UTF-8).
             res.status = 200;
             res.set_content((*sample)->report_json, "application/json");
           });

  // Plain IOC lists taken from the report (malware/report/plain_iocs.h). STIX, OpenIOC, YARA
  // and Sigma come with issue 10.
  http.Get(R"(/api/v1/samples/(\d{1,18})/iocs)", [&](const httplib::Request& req,
                                                     httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    std::string format = req.has_param("format") ? req.get_param_value("format") : "txt";
    if (format != "txt" && format != "json" && format != "csv") {
      return SendError(res, 400, Error{ErrorCode::kInvalidArgument,
                                       "format must be txt, json or csv (STIX, OpenIOC, YARA and "
                                       "Sigma are not available yet)",
                                       format});
    }
    std::string type = req.get_param_value("type");
    if (!type.empty() && std::find(malware::report::kPlainIocTypes.begin(),
                                   malware::report::kPlainIocTypes.end(),
                                   type) == malware::report::kPlainIocTypes.end()) {
      return SendError(res, 400, Error{ErrorCode::kInvalidArgument,
                                       "type must be one of md5, sha1, sha256, domain, ip, url, "
                                       "file_path, registry_key, mutex",
                                       type});
    }
    auto sample = store.GetSample(IdOf(req), true);
    if (!sample) return SendError(res, sample.error());
    if (!*sample) {
      return SendError(res, 404, Error{ErrorCode::kNotFound, "no such sample", req.matches[1].str()});
    }
    if ((*sample)->report_json.empty()) {
      return SendError(res, 404, Error{ErrorCode::kNotFound,
                                       fmt::format("no report yet: the sample is {}",
                                                   (*sample)->status),
                                       req.matches[1].str()});
    }
    json report = json::parse((*sample)->report_json, nullptr, false);
    if (report.is_discarded()) {
      return SendError(res, 500, Error{ErrorCode::kInternal, "the stored report is not JSON",
                                       req.matches[1].str()});
    }
    auto iocs = malware::report::ExtractPlainIocs(report);
    if (!type.empty()) {
      std::erase_if(iocs, [&](const auto& ioc) { return ioc.type != type; });
    }
    // A download: named after the sample's sha256 (hex only, so safe in the header).
    res.set_header("Content-Disposition",
                   fmt::format("attachment; filename=\"{}{}{}.iocs.{}\"", (*sample)->sha256,
                               type.empty() ? "" : ".", type, format));
    res.status = 200;
    if (format == "json") {
      json out = {{"id", (*sample)->id}, {"sha256", (*sample)->sha256},
                  {"iocs", malware::report::PlainIocsJson(iocs)}};
      if (!type.empty()) out["iocs"] = json{{type, out["iocs"][type]}};
      res.set_content(out.dump(-1, ' ', false, json::error_handler_t::replace),
                      "application/json");
    } else if (format == "csv") {
      res.set_content(malware::report::PlainIocsCsv(iocs), "text/csv; charset=utf-8");
    } else {
      res.set_content(malware::report::PlainIocsText(iocs, type), "text/plain; charset=utf-8");
    }
  });
}

}  // namespace mamori::server
