// Pieces the response actuators in this folder share: reading an action's target and
// parameters, the JSON description of an action that the webhook, EDR and e-mail devices send,
// and splitting a configured command line into an argument vector. Not for use outside
// rse/respond/actuators. Plain functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/indicator.h"
#include "store/records.h"

namespace mamori::rse::respond::actuators {

// The target of a block_address action: an IPv4 or IPv6 address or a CIDR, normalized ("::1",
// "10.0.0.0/8"; a /32 or /128 becomes an address). Refused (kInvalidArgument, naming `device`
// and the target): anything else, a CIDR with host bits set ("10.0.0.5/8" is ambiguous: write
// the network), and a /0 (everything).
Expected<Indicator> ParseAddressTarget(std::string_view device, std::string_view target);

// The action's params_json as an object; "" or "{}" give an empty object. Anything but a JSON
// object is kInvalidArgument naming `device` and the action.
Expected<nlohmann::json> ParamsOf(std::string_view device, const store::ActionRecord& action);

// A string parameter of `params`; `fallback` when absent or not a string.
std::string StringParam(const nlohmann::json& params, const char* name, std::string fallback);

// The action as the notification devices describe it (docs/formats/response-webhook.md):
// action_id, kind, device, target, playbook, mode, state, reason, expected_effect, evidence
// (the parsed evidence_json; its text when it does not parse), params, detection_id,
// duration_seconds, expires_at, time (`now`, RFC 3339 UTC).
nlohmann::json ActionPayload(const store::ActionRecord& action, UnixSeconds now);

// "prog -a  b" -> {"prog", "-a", "b"}: a command line from mamori.toml split on whitespace, no
// quoting and no shell (a configured command never needs either). Empty result when blank.
std::vector<std::string> SplitCommand(std::string_view command);

// The text with line breaks and other control characters replaced by spaces, cut to `max`
// bytes: for one-line fields (a mail header, a syslog message, an error message).
std::string OneLine(std::string_view text, size_t max = 1000);

// This machine's host name (gethostname), "localhost" when it has none.
std::string HostName();

}  // namespace mamori::rse::respond::actuators
