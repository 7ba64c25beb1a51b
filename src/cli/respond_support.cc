#include "cli/respond_support.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "rse/blocklist/publisher.h"
#include "rse/respond/actuators/factory.h"
#include "rse/respond/boost_actuator.h"

namespace mamori::cli {

Expected<ResponderSetup> MakeResponderForConfig(const Config& cfg, store::Store& store,
                                                Clock& clock,
                                                const std::string& playbooks_override) {
  namespace respond = rse::respond;
  std::string path = playbooks_override.empty() ? cfg.respond.playbooks : playbooks_override;
  std::shared_ptr<respond::PlaybookSet> set;
  if (std::filesystem::exists(path)) {
    set = std::make_shared<respond::PlaybookSet>(respond::LoadPlaybooks(path));
    for (const auto& e : set->errors) spdlog::warn("playbook skipped: {}", e.ToString());
  } else {
    // The engine still runs without playbooks: actions already in force expire, are re-applied
    // and can be decided on.
    spdlog::warn("no playbooks at {}: nothing new will be done about detections (set [respond] "
                 "playbooks; docs/formats/playbooks.md)",
                 path);
    set = std::make_shared<respond::PlaybookSet>();
  }
  respond::ResponderOptions options;
  options.dry_run = cfg.respond.dry_run;
  options.kill_switch_default = cfg.respond.kill_switch;
  options.default_duration_seconds = cfg.respond.default_duration_seconds;
  options.reconcile_seconds = cfg.respond.reconcile_seconds;
  options.safety.rate_per_minute = cfg.respond.rate_per_minute;
  options.safety.rate_per_target_per_hour = cfg.respond.rate_per_target_per_hour;
  MAMORI_RETURN_IF_ERROR(
      respond::ParseOwnInfrastructure(cfg.respond.own_infrastructure, &options.safety));
  MAMORI_ASSIGN_OR_RETURN(auto devices, respond::MakeActuators(cfg.respond, clock));
  devices.push_back(std::make_unique<respond::BoostActuator>());

  ResponderSetup setup;
  MAMORI_ASSIGN_OR_RETURN(auto warnings, rse::blocklist::LoadWarningListsForConfig(cfg));
  setup.warning_lists = std::make_unique<intel::WarningLists>(std::move(warnings));
  setup.responder = std::make_unique<respond::Responder>(store, clock, std::move(set),
                                                         std::move(devices), options,
                                                         setup.warning_lists.get());
  MAMORI_RETURN_IF_ERROR(setup.responder->Initialize());
  return setup;
}

}  // namespace mamori::cli
