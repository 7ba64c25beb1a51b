#include "server/html.h"

#include <fmt/format.h>

#include "core/clock.h"

namespace mamori::server {

namespace {

constexpr std::string_view kHead = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
th{{background:#f3f3f3}} .ok{{color:#176f2c}} .bad{{color:#b00020}} code{{background:#f6f6f6}}
</style></head><body>
<h1>mamori</h1>
<form action="/lookup" method="get"><label>Look up an indicator
<input name="q" size="60" placeholder="IP, CIDR, domain, URL or hash"></label>
<button type="submit">Look up</button></form>
)";

std::string Time(UnixSeconds t) { return t == 0 ? "—" : FormatIso8601(t); }

std::string StatusCell(const store::SourceRecord& s) {
  if (s.last_status.empty()) return "<td>never fetched</td>";
  bool good = s.last_status == "ok" || s.last_status == "not_modified";
  std::string cell =
      fmt::format("<td class=\"{}\">{}", good ? "ok" : "bad", EscapeHtml(s.last_status));
  if (!s.last_error.empty()) cell += "<br><small>" + EscapeHtml(s.last_error) + "</small>";
  return cell + "</td>";
}

void AppendHistory(std::string& out, const store::IndicatorHistory& h) {
  out += fmt::format("<h3>{} <code>{}</code></h3>", EscapeHtml(IndicatorTypeName(h.indicator.type)),
                     EscapeHtml(h.indicator.value));
  out +=
      "<table><tr><th>source</th><th>first listed</th><th>last seen</th><th>delisted</th>"
      "<th>category</th></tr>";
  for (const auto& i : h.intervals) {
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       EscapeHtml(i.source_name), Time(i.first_listed), Time(i.last_seen),
                       i.delisted_at == 0 ? "still listed" : Time(i.delisted_at),
                       EscapeHtml(i.category));
  }
  out += "</table>";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderIndexPage(const std::vector<store::SourceRecord>& sources,
                            const store::StoreStats& stats) {
  std::string out = fmt::format(kHead, "mamori — sources");
  out += fmt::format("<p>{} sources, {} indicators, {} listed now, {} delisted intervals.</p>",
                     stats.sources, stats.indicators, stats.open_intervals, stats.closed_intervals);
  out +=
      "<h2>Sources</h2><table id=\"sources\"><tr><th>name</th><th>format</th>"
      "<th>reliability</th><th>listed</th><th>last attempt</th><th>last success</th>"
      "<th>state</th><th>url</th></tr>";
  for (const auto& s : sources) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
        EscapeHtml(s.name), EscapeHtml(s.format), s.reliability, s.listed_count,
        Time(s.last_attempt_at), Time(s.last_success_at), StatusCell(s), EscapeHtml(s.url));
  }
  out +=
      "</table><p>JSON: <a href=\"/api/v1/health\">/api/v1/health</a>, "
      "<a href=\"/api/v1/sources\">/api/v1/sources</a>, /api/v1/indicators/&lt;value&gt;</p>";
  out += "</body></html>\n";
  return out;
}

std::string RenderLookupPage(std::string_view query, const intel::LookupResult* result,
                             std::string_view error) {
  std::string out = fmt::format(kHead, "mamori — lookup");
  out += fmt::format("<h2>Lookup <code>{}</code></h2>", EscapeHtml(query));
  if (!error.empty()) {
    out += fmt::format("<p class=\"bad\">{}</p>", EscapeHtml(error));
  } else if (result) {
    out += fmt::format("<p>Normalized: {} <code>{}</code> — {}</p>",
                       EscapeHtml(IndicatorTypeName(result->indicator.type)),
                       EscapeHtml(result->indicator.value),
                       result->listed_now ? "<b class=\"bad\">listed now</b>" : "not listed now");
    if (result->allowlisted_by) {
      out += fmt::format("<p class=\"ok\">Allowlisted by {} <code>{}</code>: {}</p>",
                         EscapeHtml(result->allowlisted_by->kind),
                         EscapeHtml(result->allowlisted_by->value),
                         EscapeHtml(result->allowlisted_by->reason));
    }
    if (result->exact) {
      AppendHistory(out, *result->exact);
    } else {
      out += "<p>No source has ever listed this exact value.</p>";
    }
    for (const auto& h : result->covering) AppendHistory(out, h);
  }
  out += "<p><a href=\"/\">back</a></p></body></html>\n";
  return out;
}

}  // namespace mamori::server
