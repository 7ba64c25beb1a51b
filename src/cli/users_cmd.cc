// mamori users add|list|remove|passwd: accounts of the HTTP API and web console
// (docs/api.md, "Authentication"). The CLI works on the store directly, so it is also how the
// first admin is made and how a locked-out server is recovered.
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
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

struct UsersArgs {
  std::string name;
  std::string role = "viewer";
  std::string password_file;
  bool json = false;
};

// Restores the terminal's echo on every path out.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }

 private:
  termios saved_{};
  bool active_ = false;
};

std::string StripNewline(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// The new password: from --password-file (its first line), from a prompt without echo (asked
// twice) on a terminal, or from one line of stdin otherwise (scripts).
Expected<std::string> ReadPassword(const std::string& file) {
  std::string password;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return MakeError(ErrorCode::kIo, "cannot read the password file", file);
    std::getline(in, password);
  } else if (isatty(STDIN_FILENO)) {
    std::string again;
    {
      EchoOff echo_off;
      std::cerr << "password: " << std::flush;
      std::getline(std::cin, password);
      std::cerr << "\nagain: " << std::flush;
      std::getline(std::cin, again);
      std::cerr << "\n";
    }
    if (StripNewline(password) != StripNewline(again)) {
      return MakeError(ErrorCode::kInvalidArgument, "the two passwords differ");
    }
  } else {
    std::getline(std::cin, password);
  }
  password = StripNewline(std::move(password));
  MAMORI_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password));
  return password;
}

int RunAdd(Context& ctx, const UsersArgs& a) {
  if (!auth::ParseRole(a.role)) {
    return Fail(
        Error{ErrorCode::kInvalidArgument, "--role must be viewer, operator or admin", a.role});
  }
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto password = ReadPassword(a.password_file);
  if (!password) return Fail(password.error());
  auto hash = auth::HashPassword(*password);
  if (!hash) return Fail(hash.error());
  SystemClock clock;
  auto added = (*store)->AddUser(
      {.name = a.name, .role = a.role, .password_hash = *hash, .created_at = clock.Now()});
  if (!added) return Fail(added.error());
  auth::Audit(**store, clock, "cli", "user_add", a.name, json{{"role", a.role}}.dump());
  std::cout << fmt::format("user {} added with role {}\n", a.name, a.role);
  return 0;
}

int RunList(Context& ctx, const UsersArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto users = (*store)->ListUsers();
  if (!users) return Fail(users.error());
  if (a.json) {
    json out = json::array();
    for (const auto& u : *users) {
      out.push_back({{"name", u.name},
                     {"role", u.role},
                     {"created_at", FormatIso8601(u.created_at)},
                     {"disabled", u.disabled}});
    }
    PrintJson(out);
    return 0;
  }
  if (users->empty()) {
    std::cout << "no users; add one with `mamori users add NAME --role admin`\n";
    return 0;
  }
  for (const auto& u : *users) {
    std::cout << fmt::format("{:<24} {:<9} {}{}\n", u.name, u.role, FormatIso8601(u.created_at),
                             u.disabled ? "  disabled" : "");
  }
  return 0;
}

int RunRemove(Context& ctx, const UsersArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  if (auto ok = (*store)->RemoveUser(a.name); !ok) return Fail(ok.error());
  SystemClock clock;
  auth::Audit(**store, clock, "cli", "user_remove", a.name);
  std::cout << fmt::format("user {} removed\n", a.name);
  return 0;
}

int RunPasswd(Context& ctx, const UsersArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto user = (*store)->GetUser(a.name);
  if (!user) return Fail(user.error());
  if (!*user) return Fail(Error{ErrorCode::kNotFound, "no such user", a.name});
  auto password = ReadPassword(a.password_file);
  if (!password) return Fail(password.error());
  auto hash = auth::HashPassword(*password);
  if (!hash) return Fail(hash.error());
  store::UserRecord changed = **user;
  changed.password_hash = *hash;
  if (auto ok = (*store)->UpdateUser(changed); !ok) return Fail(ok.error());
  // Whoever knew the old password may hold a session: end them all.
  (void)(*store)->RemoveUserSessions(a.name);
  SystemClock clock;
  auth::Audit(**store, clock, "cli", "user_update", a.name, R"({"password":"changed"})");
  std::cout << fmt::format("password of {} changed; its sessions were ended\n", a.name);
  return 0;
}

}  // namespace

void RegisterUsersCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(app, "users",
                         "Accounts of the HTTP API and web console (roles viewer < operator < "
                         "admin).\n"
                         "Examples:\n"
                         "  mamori users add alice --role admin\n"
                         "  mamori users add bot --role viewer --password-file pw.txt\n"
                         "  mamori users list --json");
  cmd->require_subcommand(1);
  {
    auto args = std::make_shared<UsersArgs>();
    auto* add = AddCommand(*cmd, "add",
                           "Add a user. The password comes from --password-file, a prompt on a "
                           "terminal, or one line of stdin.");
    add->add_option("name", args->name, "User name")->required();
    add->add_option("--role", args->role, "viewer, operator or admin (default viewer)");
    add->add_option("--password-file", args->password_file, "Read the password from this file");
    add->callback([&ctx, args] { ctx.exit_code = RunAdd(ctx, *args); });
  }
  {
    auto args = std::make_shared<UsersArgs>();
    auto* list = AddCommand(*cmd, "list", "Every user.");
    list->add_flag("--json", args->json, "Print JSON");
    list->callback([&ctx, args] { ctx.exit_code = RunList(ctx, *args); });
  }
  {
    auto args = std::make_shared<UsersArgs>();
    auto* remove = AddCommand(*cmd, "remove", "Remove a user and end its sessions.");
    remove->add_option("name", args->name, "User name")->required();
    remove->callback([&ctx, args] { ctx.exit_code = RunRemove(ctx, *args); });
  }
  {
    auto args = std::make_shared<UsersArgs>();
    auto* passwd = AddCommand(*cmd, "passwd", "Set a user's password and end its sessions.");
    passwd->add_option("name", args->name, "User name")->required();
    passwd->add_option("--password-file", args->password_file, "Read the password from this file");
    passwd->callback([&ctx, args] { ctx.exit_code = RunPasswd(ctx, *args); });
  }
}

}  // namespace mamori::cli
