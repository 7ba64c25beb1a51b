#include "rse/respond/actuators/email_actuator.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "rse/blocklist/connectors/subprocess.h"
#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond {

namespace {

namespace connectors = blocklist::connectors;

constexpr size_t kMaxLine = 900;  // RFC 5322 allows 998 octets per line
constexpr int kMaxEvidenceLines = 100;

// "Mon, 30 Nov 2026 11:00:00 +0000", with English names whatever the locale.
std::string RfcDate(UnixSeconds now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(now);
  tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} +0000", kDays[utc.tm_wday], utc.tm_mday,
                     kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A header value on one line; RFC 2047 "B" encoded words when it is not ASCII.
std::string HeaderValue(std::string_view text) {
  std::string line = actuators::OneLine(text, 300);
  if (IsAscii(line)) return line;
  // Encoded words are at most 75 characters: 45 bytes of text give 60 of base64. A chunk must
  // not split a UTF-8 sequence.
  std::string out;
  size_t at = 0;
  while (at < line.size()) {
    size_t end = std::min(line.size(), at + 45);
    while (end < line.size() && end > at &&
           (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) {
      --end;
    }
    std::string chunk = line.substr(at, end - at);
    std::string b64(4 * ((chunk.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                            reinterpret_cast<const unsigned char*>(chunk.data()),
                            static_cast<int>(chunk.size()));
    b64.resize(n > 0 ? static_cast<size_t>(n) : 0);
    if (!out.empty()) out += "\n ";  // folded: one encoded word per line
    out += "=?UTF-8?B?" + b64 + "?=";
    at = end;
  }
  return out;
}

// Body text: line breaks kept, other control characters dropped, long lines cut.
void AppendBody(std::string& out, std::string_view text, std::string_view indent = "  ") {
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string clean;
    for (char c : line) {
      if (c == '\t' || static_cast<unsigned char>(c) >= 0x20) clean += c;
    }
    if (clean.size() > kMaxLine) clean = clean.substr(0, kMaxLine) + " [...]";
    out += indent;
    out += clean;
    out += '\n';
  }
}

std::string EvidenceSummary(const std::string& evidence_json) {
  nlohmann::json evidence = nlohmann::json::parse(evidence_json, nullptr, false);
  std::string text = evidence.is_discarded() ? evidence_json : evidence.dump(2);
  std::string out;
  int lines = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (++lines > kMaxEvidenceLines) {
      out += "[... the rest is in mamori's audit trail]\n";
      break;
    }
    out.append(text, start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

Expected<std::vector<std::string>> ParseRecipients(std::string_view list, std::string_view origin) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view entry = list.substr(start, comma - start);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
      entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    start = comma + 1;
    if (entry.empty()) continue;
    bool ok = entry.find('@') != std::string_view::npos;
    for (char c : entry) {
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f || c == '<' || c == '>' || c == '"' ||
          c == '(' || c == ')' || c == ';' || c == '\\') {
        ok = false;
      }
    }
    if (!ok) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is not an e-mail address (user@domain)",
                                   actuators::OneLine(entry, 100)),
                       std::string(origin));
    }
    out.emplace_back(entry);
  }
  return out;
}

std::string FormatEmailMessage(const store::ActionRecord& action, std::string_view from,
                               const std::vector<std::string>& to, UnixSeconds now,
                               std::string_view hostname) {
  std::string subject = fmt::format("[mamori] {} {}", action.kind, action.target);
  if (!action.playbook.empty()) subject += fmt::format(" (playbook {})", action.playbook);
  std::string to_line;
  for (const std::string& address : to) {
    if (!to_line.empty()) to_line += ", ";
    to_line += address;
  }
  std::string out = fmt::format(
      "From: {}\n"
      "To: {}\n"
      "Subject: {}\n"
      "Date: {}\n"
      "Message-ID: <mamori.action.{}.{}@{}>\n"
      "Auto-Submitted: auto-generated\n"
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 8bit\n"
      "\n",
      HeaderValue(from), HeaderValue(to_line), HeaderValue(subject), RfcDate(now), action.id, now,
      actuators::OneLine(hostname, 200));
  fmt::format_to(std::back_inserter(out),
                 "mamori's response engine reports an action.\n\n"
                 "Action:    #{} {} on {}\n"
                 "Target:    {}\n"
                 "Playbook:  {}\n"
                 "Mode:      {}\n"
                 "State:     {}\n"
                 "Detection: {}\n"
                 "Time:      {}\n\n",
                 action.id, action.kind, action.device, actuators::OneLine(action.target, 300),
                 actuators::OneLine(action.playbook, 200), action.mode, action.state,
                 action.detection_id == 0 ? std::string("-") : std::to_string(action.detection_id),
                 FormatIso8601(now));
  out += "Reason:\n";
  AppendBody(out, action.reason.empty() ? "-" : action.reason);
  out += "\nExpected effect:\n";
  AppendBody(out, action.expected_effect.empty() ? "-" : action.expected_effect);
  out += "\nEvidence:\n";
  AppendBody(out, EvidenceSummary(action.evidence_json));
  return out;
}

Expected<std::unique_ptr<EmailActuator>> EmailActuator::Make(EmailActuatorOptions options,
                                                             Clock& clock) {
  std::vector<std::string> argv = actuators::SplitCommand(options.command);
  if (argv.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no command: set it to the MTA's command, e.g. /usr/sbin/sendmail -t -i",
                     "[respond] email_command");
  }
  MAMORI_ASSIGN_OR_RETURN(auto from, ParseRecipients(options.from, "[respond] email_from"));
  if (from.size() != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "give exactly one sender address",
                     "[respond] email_from");
  }
  MAMORI_RETURN_IF_ERROR(ParseRecipients(options.to, "[respond] email_to"));
  return std::unique_ptr<EmailActuator>(
      new EmailActuator(std::move(options), std::move(argv), clock));
}

EmailActuator::EmailActuator(EmailActuatorOptions options, std::vector<std::string> argv,
                             Clock& clock)
    : options_(std::move(options)), argv_(std::move(argv)), clock_(clock) {}

Status EmailActuator::Apply(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(nlohmann::json params, actuators::ParamsOf("email", action));
  std::string to_text = actuators::StringParam(params, "to", options_.to);
  MAMORI_ASSIGN_OR_RETURN(std::vector<std::string> to,
                          ParseRecipients(to_text, fmt::format("email action {}", action.id)));
  if (to.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no recipient: set [respond] email_to, or \"to\" in the playbook's params",
                     fmt::format("email action {}", action.id));
  }
  std::string message =
      FormatEmailMessage(action, options_.from, to, clock_.Now(), actuators::HostName());
  const std::string context = "[respond] email_command: " + connectors::ArgvText(argv_);
  auto run = connectors::RunProcessWithInput(argv_, message, options_.timeout);
  if (!run) return tl::unexpected(run.error().WithContext("email"));
  if (run->exit_code != 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("the mail command exited with {}: {}", run->exit_code,
                                 actuators::OneLine(run->err + " " + run->out, 500)),
                     context);
  }
  return Ok();
}

}  // namespace mamori::rse::respond
