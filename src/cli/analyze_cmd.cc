// mamori analyze SAMPLE: runs a Windows PE in the emulator and prints or writes its behaviour
// report (docs/malware.md; report format docs/formats/report.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/context.h"
#include "malware/analyzer.h"
#include "malware/report/html_report.h"
#include "malware/worker.h"

namespace mamori::cli {
namespace {

struct AnalyzeArgs {
  std::string sample;
  std::string json_out;
  std::string html_out;
  std::string artifacts;
  std::vector<std::string> exports;
  std::uint64_t max_instructions = 0;
  int timeout_seconds = 0;
  bool in_process = false;
  std::string environment;
  bool no_taint = false;
  int max_paths = -1;
};

// One line per behaviour event, grouped by kind: what an analyst reads first.
void PrintSummary(const nlohmann::json& report) {
  const auto& sample = report["sample"];
  std::cout << fmt::format("{}  {} bytes  sha256 {}\n", sample["file_name"].get<std::string>(),
                           sample["size"].get<std::uint64_t>(), sample["sha256"].get<std::string>());
  std::cout << fmt::format("status: {}", report["status"].get<std::string>());
  if (report.contains("status_detail")) {
    std::cout << " — " << report["status_detail"].get<std::string>();
  }
  std::cout << "\n";
  if (report.contains("run")) {
    const auto& run = report["run"];
    std::cout << fmt::format("run: ended by {}, {} instructions, {} API calls, {:.2f} s\n",
                             run["end_reason"].get<std::string>(),
                             run["instructions"].get<std::uint64_t>(),
                             run["api_calls"].get<std::uint64_t>(),
                             run["wall_seconds"].get<double>());
  }
  if (!report.contains("events")) return;
  for (const auto& e : report["events"]) {
    std::string line = fmt::format("  [{}] {} {}", e["pid"].get<std::uint32_t>(),
                                   e["kind"].get<std::string>(), e["op"].get<std::string>());
    for (const auto& [k, v] : e.items()) {
      if (k == "seq" || k == "pid" || k == "tid" || k == "kind" || k == "op") continue;
      line += fmt::format(" {}={}", k, v.is_string() ? v.get<std::string>() : v.dump());
    }
    std::cout << line << "\n";
  }
  if (report.contains("exploration")) {
    const auto& x = report["exploration"];
    std::cout << fmt::format("environment checks: {}\n", x["checks"].size());
    for (const auto& c : x["checks"]) {
      std::cout << fmt::format("  [{}] {} {} ({}) at {}: {}\n", c["pid"].get<std::uint32_t>(),
                               c["check"].get<std::string>(), c["technique"].get<std::string>(),
                               c["natural_direction"].get<std::string>(), c["pc"].get<std::string>(),
                               c["queries"].dump());
    }
    std::cout << fmt::format("paths explored: {}{}\n", x["paths_explored"].get<int>(),
                             x["truncated"].get<bool>() ? " (budget reached)" : "");
    for (const auto& p : x["paths"]) {
      if (p["events"].empty()) continue;
      std::string forced;
      for (const auto& f : p["forced"]) {
        forced += fmt::format("{}{}@{}→{}", forced.empty() ? "" : ", ", f["check"].get<std::string>(),
                              f["pc"].get<std::string>(), f["direction"].get<std::string>());
      }
      std::cout << fmt::format("  path {} (forced {}): {} new events\n", p["id"].get<int>(), forced,
                               p["events"].size());
      for (const auto& e : p["events"]) {
        std::cout << fmt::format("    {} {}\n", e["kind"].get<std::string>(), e["op"].get<std::string>());
      }
    }
  }
  if (!report["unimplemented_apis"].empty()) {
    std::cout << fmt::format("unimplemented APIs called: {}\n", report["unimplemented_apis"].size());
  }
  for (const auto& error : report["errors"]) std::cout << "error: " << error.get<std::string>() << "\n";
}

int RunAnalyze(const AnalyzeArgs& a) {
  std::ifstream in(a.sample, std::ios::binary);
  if (!in) return Fail(Error{ErrorCode::kNotFound, "cannot open the sample", a.sample});
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  malware::AnalyzeOptions options;
  options.file_name = std::filesystem::path(a.sample).filename().string();
  if (!a.exports.empty()) options.dll_exports = a.exports;
  if (a.max_instructions) options.limits.max_instructions = a.max_instructions;
  if (a.timeout_seconds > 0) options.limits.max_wall_ms = static_cast<std::uint64_t>(a.timeout_seconds) * 1000;
  if (!a.artifacts.empty()) options.artifacts_dir = a.artifacts;
  if (!a.environment.empty()) {
    if (auto used = malware::UseEnvironmentProfile(options, a.environment); !used) {
      return Fail(used.error());
    }
  }
  options.taint = !a.no_taint;
  if (a.max_paths >= 0) options.explore.max_paths = a.max_paths;
  // The sample runs in a confined worker process (malware/worker.h) unless asked otherwise.
  nlohmann::json report = a.in_process ? malware::Analyze(bytes, options)
                                       : malware::AnalyzeInWorker(bytes, options);
  // Strings read from guest memory need not be UTF-8: invalid bytes become U+FFFD on output.
  auto dump = [&](int indent) {
    return report.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (!a.html_out.empty()) {
    std::ofstream out(a.html_out, std::ios::binary);
    if (!out) return Fail(Error{ErrorCode::kIo, "cannot write the HTML report", a.html_out});
    out << malware::report::RenderHtmlReport(report);
    if (!out.flush()) return Fail(Error{ErrorCode::kIo, "cannot write the HTML report", a.html_out});
  }
  if (a.json_out == "-") {
    std::cout << dump(2) << "\n";
  } else {
    if (!a.json_out.empty()) {
      std::ofstream out(a.json_out);
      if (!out) return Fail(Error{ErrorCode::kIo, "cannot write the report", a.json_out});
      out << dump(2) << "\n";
    }
    PrintSummary(report);
  }
  // Exit code: 0 analysed, 2 when the file could not be analysed (not a PE, truncated …).
  return report["status"] == "analyzed" ? 0 : 2;
}

}  // namespace

void RegisterAnalyzeCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = app.add_subcommand(
      "analyze",
      "Run a Windows program (PE32/PE32+, x86/x64) in mamori's emulator — never natively — and\n"
      "report what it does: files, registry, processes, network, injected code.\n"
      "Examples:  mamori analyze sample.exe\n"
      "           mamori analyze sample.exe --json report.json --artifacts out/\n"
      "           mamori analyze sample.exe --html report.html   (a page to open in a browser)\n"
      "           mamori analyze payload.dll --export Install   (DllMain, then Install)\n"
      "Exit code: 0 analysed, 2 the file is not a runnable PE (the report says why).");
  cmd->add_option("sample", args->sample, "The file to analyse")->required()->check(CLI::ExistingFile);
  cmd->add_option("--json", args->json_out, "Write the JSON report here ('-' prints it instead of the summary)")
      ->type_name("FILE");
  cmd->add_option("--html", args->html_out,
                  "Also write the report as one self-contained HTML page (no scripts, no external files)")
      ->type_name("FILE");
  cmd->add_option("--artifacts", args->artifacts,
                  "Folder for dropped files and memory made executable at run time (named by sha256)")
      ->type_name("DIR");
  cmd->add_option("--export", args->exports, "DLL samples: exports to call after DllMain (default: all)")
      ->type_name("NAME");
  cmd->add_option("--max-instructions", args->max_instructions,
                  "Instruction budget across all emulated processes (default 500000000)");
  cmd->add_option("--timeout", args->timeout_seconds, "Wall-clock budget in seconds (default 60)");
  cmd->add_option("--environment", args->environment,
                  "Environment profile (TOML, docs/formats/environment-profile.md) the sample "
                  "sees instead of the default workstation, e.g. data/environments/"
                  "sandbox-virtualbox.toml, or a built-in profile by name: default, sandbox-virtualbox");
  cmd->add_option("--max-paths", args->max_paths,
                  "Forced paths to explore after the natural run to reveal what environment "
                  "checks hide (default 24; 0 = natural run only; docs/malware-evasion.md)");
  cmd->add_flag("--no-taint", args->no_taint,
                "Turn off code-provenance and environment taint (and with it CPUID/RDTSC "
                "emulation and exploration); only to measure their cost");
  cmd->add_flag("--in-process", args->in_process,
               "Run the emulator in this process instead of the default worker process with\n"
               "memory/CPU limits and a seccomp filter (for debugging only)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunAnalyze(*args); });
}

}  // namespace mamori::cli
