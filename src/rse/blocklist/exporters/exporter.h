// Exporters: render a Blocklist in a device's native format.
//
// One file per format under exporters/; each format is documented in docs/formats/. Rendering is
// pure (no I/O) and deterministic: the same Blocklist and profile give the same bytes, which is
// what golden tests and ETags rely on. Entries a format cannot express (a URL in an ipset) are
// skipped and counted, never silently mangled.
#pragma once

#include <string>

#include "core/error.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/profile.h"

namespace mamori::rse::blocklist {

struct RenderResult {
  std::string content;
  int64_t written = 0;  // entries written
  int64_t skipped = 0;  // entries the format cannot express
};

// Dispatches on profile.kind.
Expected<RenderResult> Render(const Blocklist& list, const DeviceProfile& profile);

// The MIME type served for a kind at /edl/ ("text/plain; charset=utf-8", "application/json").
std::string_view ContentTypeFor(DeviceKind kind);

}  // namespace mamori::rse::blocklist
