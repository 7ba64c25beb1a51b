// Shared by `mamori serve`, `mamori collect`, `mamori ingest --respond` and `mamori actions`:
// building the response engine from [respond] (playbooks, devices, safety settings).
#pragma once

#include <memory>
#include <string>

#include "core/config.h"
#include "intel/warninglists.h"
#include "rse/respond/responder.h"

namespace mamori::cli {

struct ResponderSetup {
  std::unique_ptr<intel::WarningLists> warning_lists;  // the engine borrows it
  std::unique_ptr<rse::respond::Responder> responder;
};

// Loads the playbooks at `cfg.respond.playbooks` (invalid ones are reported on stderr with file,
// line and reason, and skipped), makes the configured devices and the blocklist-boost device,
// and initializes the engine (kill switch from the store, re-applies lost actions). Does not
// start its worker. `playbooks_override` replaces the configured path when non-empty.
// Errors: bad [respond] settings (naming the key), an unreadable playbook path.
Expected<ResponderSetup> MakeResponderForConfig(const Config& cfg, store::Store& store,
                                                Clock& clock,
                                                const std::string& playbooks_override = "");

}  // namespace mamori::cli
