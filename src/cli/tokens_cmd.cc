// mamori tokens create|list|revoke: API tokens for scripts and Prometheus
// (`Authorization: Bearer mamori_...`; docs/api.md, "Authentication"). A token is printed once,
// when it is created; the store keeps only its SHA-256.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "core/clock.h"
#include "server/auth/auth.h"
#include "server/auth/auth_routes.h"

namespace mamori::cli {
namespace {

using nlohmann::json;
namespace auth = server::auth;

struct TokensArgs {
  std::string name;
  std::string role = "viewer";
  int64_t id = 0;
  bool json = false;
};

std::string Time(UnixSeconds t) { return t ? FormatIso8601(t) : "-"; }

int RunCreate(Context& ctx, const TokensArgs& a) {
  if (!auth::ParseRole(a.role)) {
    return Fail(
        Error{ErrorCode::kInvalidArgument, "--role must be viewer, operator or admin", a.role});
  }
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto token = auth::NewApiToken();
  if (!token) return Fail(token.error());
  SystemClock clock;
  auto added = (*store)->AddApiToken({.name = a.name,
                                      .token_hash = auth::SecretHash(*token),
                                      .role = a.role,
                                      .created_by = "cli",
                                      .created_at = clock.Now()});
  if (!added) return Fail(added.error());
  auth::Audit(**store, clock, "cli", "token_create", fmt::format("token:{}", added->id),
              json{{"name", a.name}, {"role", a.role}}.dump());
  if (a.json) {
    PrintJson({{"id", added->id}, {"name", a.name}, {"role", a.role}, {"token", *token}});
  } else {
    std::cout << *token << "\n";
    std::cerr << fmt::format("token {} ({}, role {}): shown only now; keep it secret\n", added->id,
                             a.name, a.role);
  }
  return 0;
}

int RunList(Context& ctx, const TokensArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto tokens = (*store)->ListApiTokens();
  if (!tokens) return Fail(tokens.error());
  if (a.json) {
    json out = json::array();
    for (const auto& t : *tokens) {
      out.push_back({{"id", t.id},
                     {"name", t.name},
                     {"role", t.role},
                     {"created_by", t.created_by},
                     {"created_at", FormatIso8601(t.created_at)},
                     {"last_used_at", t.last_used_at ? json(Time(t.last_used_at)) : json()},
                     {"revoked_at", t.revoked_at ? json(Time(t.revoked_at)) : json()}});
    }
    PrintJson(out);
    return 0;
  }
  if (tokens->empty()) {
    std::cout << "no tokens; create one with `mamori tokens create NAME --role viewer`\n";
    return 0;
  }
  std::cout << fmt::format("{:>5}  {:<20} {:<9} {:<20} {:<20} {}\n", "id", "name", "role",
                           "created", "last used", "revoked");
  for (const auto& t : *tokens) {
    std::cout << fmt::format("{:>5}  {:<20} {:<9} {:<20} {:<20} {}\n", t.id, t.name, t.role,
                             Time(t.created_at), Time(t.last_used_at), Time(t.revoked_at));
  }
  return 0;
}

int RunRevoke(Context& ctx, const TokensArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  SystemClock clock;
  if (auto ok = (*store)->RevokeApiToken(a.id, clock.Now()); !ok) return Fail(ok.error());
  auth::Audit(**store, clock, "cli", "token_revoke", fmt::format("token:{}", a.id));
  std::cout << fmt::format("token {} revoked\n", a.id);
  return 0;
}

}  // namespace

void RegisterTokensCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(app, "tokens",
                         "API tokens (Authorization: Bearer mamori_...) for scripts and "
                         "Prometheus.\n"
                         "Examples:\n"
                         "  mamori tokens create prometheus --role viewer\n"
                         "  mamori tokens list\n"
                         "  mamori tokens revoke 3");
  cmd->require_subcommand(1);
  {
    auto args = std::make_shared<TokensArgs>();
    auto* create = AddCommand(*cmd, "create", "Create a token and print it (once).");
    create->add_option("name", args->name, "What the token is for")->required();
    create->add_option("--role", args->role, "viewer, operator or admin (default viewer)");
    create->add_flag("--json", args->json, "Print JSON");
    create->callback([&ctx, args] { ctx.exit_code = RunCreate(ctx, *args); });
  }
  {
    auto args = std::make_shared<TokensArgs>();
    auto* list = AddCommand(*cmd, "list", "Every token, without secrets.");
    list->add_flag("--json", args->json, "Print JSON");
    list->callback([&ctx, args] { ctx.exit_code = RunList(ctx, *args); });
  }
  {
    auto args = std::make_shared<TokensArgs>();
    auto* revoke = AddCommand(*cmd, "revoke", "Revoke a token: it stops working at once.");
    revoke->add_option("id", args->id, "Token id (from `mamori tokens list`)")->required();
    revoke->callback([&ctx, args] { ctx.exit_code = RunRevoke(ctx, *args); });
  }
}

}  // namespace mamori::cli
