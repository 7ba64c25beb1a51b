#include "rse/respond/actuators/factory.h"

#include <fmt/format.h>

#include <utility>

#include "rse/respond/actuators/email_actuator.h"
#include "rse/respond/actuators/ipset_actuator.h"
#include "rse/respond/actuators/nftables_actuator.h"
#include "rse/respond/actuators/rpz_actuator.h"
#include "rse/respond/actuators/signed_post.h"
#include "rse/respond/actuators/syslog_actuator.h"
#include "rse/respond/actuators/webhook_actuator.h"

namespace mamori::rse::respond {

namespace {

// The secret must be named and readable now: a webhook that cannot sign fails every action.
Status CheckSecret(const std::string& url_key, const std::string& file,
                   const std::string& file_key) {
  if (file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} is set, so {} must name a file holding the shared secret "
                                 "(e.g. openssl rand -hex 32 > FILE; chmod 600 FILE)",
                                 url_key, file_key),
                     file_key);
  }
  MAMORI_RETURN_IF_ERROR(actuators::ReadSecretFile(file, file_key));
  return Ok();
}

}  // namespace

Expected<ActuatorList> MakeActuators(const Config::Respond& config, Clock& clock,
                                     const ActuatorOptions& options) {
  ActuatorList list;
  if (!config.nftables_table.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto nft,
                            NftablesActuator::Make(config.nftables_family, config.nftables_table));
    list.push_back(std::move(nft));
  }
  if (!config.ipset_name.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto ipset,
                            IpsetActuator::Make(config.ipset_name, options.command_timeout));
    list.push_back(std::move(ipset));
  }
  if (!config.rpz_zone_file.empty()) {
    RpzActuatorOptions rpz;
    rpz.zone_file = config.rpz_zone_file;
    rpz.origin = config.rpz_origin;
    rpz.reload_command = config.rpz_reload_command;
    rpz.timeout = options.command_timeout;
    MAMORI_ASSIGN_OR_RETURN(auto actuator, RpzActuator::Make(std::move(rpz), clock));
    list.push_back(std::move(actuator));
  }
  std::shared_ptr<feeds::HttpClient> http = options.http_client;
  auto client = [&] {
    if (!http) http = feeds::MakeCurlHttpClient(options.http, clock);
    return http;
  };
  if (!config.webhook_url.empty()) {
    MAMORI_RETURN_IF_ERROR(CheckSecret("[respond] webhook_url", config.webhook_secret_file,
                                       "[respond] webhook_secret_file"));
    list.push_back(std::make_unique<WebhookActuator>(
        HttpActuatorOptions{config.webhook_url, config.webhook_secret_file}, client(), clock));
  }
  if (!config.edr_url.empty()) {
    MAMORI_RETURN_IF_ERROR(
        CheckSecret("[respond] edr_url", config.edr_secret_file, "[respond] edr_secret_file"));
    list.push_back(std::make_unique<EdrActuator>(
        HttpActuatorOptions{config.edr_url, config.edr_secret_file}, client(), clock));
  }
  if (!config.syslog_target.empty()) {
    MAMORI_ASSIGN_OR_RETURN(
        auto syslog, SyslogActuator::Make(config.syslog_target, clock, options.syslog_timeout));
    list.push_back(std::move(syslog));
  }
  if (!config.email_command.empty()) {
    EmailActuatorOptions email;
    email.command = config.email_command;
    email.from = config.email_from;
    email.to = config.email_to;
    email.timeout = options.command_timeout;
    MAMORI_ASSIGN_OR_RETURN(auto actuator, EmailActuator::Make(std::move(email), clock));
    list.push_back(std::move(actuator));
  }
  return list;
}

}  // namespace mamori::rse::respond
