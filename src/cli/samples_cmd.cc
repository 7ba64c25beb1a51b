// mamori samples check: runs every built sample of the test corpus (docs/samples.md) through the
// emulator and compares each report with the sample's expected.yaml
// (docs/formats/samples-expected.md). Argument handling and printing only; the matching is
// malware/corpus/expected.h.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "cli/context.h"
#include "malware/analyzer.h"
#include "malware/corpus/expected.h"

namespace mamori::cli {
namespace {

namespace fs = std::filesystem;
namespace corpus = malware::corpus;
using json = nlohmann::json;

struct SamplesArgs {
  std::string corpus_dir;
  std::string samples_dir = "samples";
  std::string require_file;
  std::vector<std::string> only;
  bool json_out = false;
  int timeout_seconds = 0;
  std::string environment;  // an environment profile instead of the default
  int max_paths = -1;       // exploration budget; -1 = the default
};

using BuildKey = std::pair<std::string, std::string>;  // sample name, arch

// manifest.tsv: name, arch, exe|dll, path (samples/CMakeLists.txt writes it).
Expected<std::map<BuildKey, std::string>> ReadManifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    return MakeError(ErrorCode::kNotFound,
                     "cannot read the corpus manifest (are the samples built? "
                     "--corpus is <build>/samples)",
                     file.string());
  }
  std::map<BuildKey, std::string> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string name, arch, type, path;
    if (!std::getline(fields, name, '\t') || !std::getline(fields, arch, '\t') ||
        !std::getline(fields, type, '\t') || !std::getline(fields, path)) {
      return MakeError(ErrorCode::kCorrupt, "expected 4 tab-separated fields",
                       fmt::format("{}:{}", file.string(), n));
    }
    out[{name, arch}] = path;
  }
  return out;
}

// --require: one "name arch" per line; blank lines and # comments are ignored.
Expected<std::set<BuildKey>> ReadRequired(const std::string& file) {
  std::set<BuildKey> out;
  if (file.empty()) return out;
  std::ifstream in(file);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read the --require list", file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string name, arch, extra;
    if (!(words >> name)) continue;
    if (!(words >> arch) || (words >> extra) || !corpus::ParseArch(arch)) {
      return MakeError(ErrorCode::kInvalidArgument, "expected '<sample> <x86|x64>'",
                       fmt::format("{}:{}", file, n));
    }
    out.insert({name, arch});
  }
  return out;
}

struct Row {
  std::string sample;
  std::string arch;
  bool required = false;
  std::string problem;  // set when the build could not be checked (missing, bad expected.yaml)
  std::string status;   // report status
  std::string end_reason;
  corpus::CheckResult result;
  bool passed() const { return problem.empty() && status == "analyzed" && result.passed(); }
};

void PrintRow(const Row& row) {
  std::string verdict = row.passed() ? "pass" : "FAIL";
  if (!row.passed() && row.required) verdict = "FAIL (required: regression)";
  if (!row.problem.empty()) {
    std::cout << fmt::format("{:<28} {:<4} {:>7} {:>5}  {} — {}\n", row.sample, row.arch, "-", "-",
                             verdict, row.problem);
    return;
  }
  std::cout << fmt::format("{:<28} {:<4} {:>7} {:>5}  {}{}\n", row.sample, row.arch,
                           fmt::format("{}/{}", row.result.met(), row.result.total()),
                           row.result.violations(), verdict,
                           row.status == "analyzed" ? "" : " (status " + row.status + ")");
  for (const auto& r : row.result.expect) {
    if (r.matched) continue;
    std::cout << fmt::format("    missed   line {:<3} {}\n", r.entry->line, r.entry->text);
    if (r.events.empty())
      std::cout << fmt::format("             no {} events in the report\n", r.entry->kind);
    for (const auto& e : r.events) std::cout << "             closest: " << e << "\n";
  }
  for (const auto& r : row.result.absent) {
    if (!r.matched) continue;
    std::cout << fmt::format("    violated line {:<3} absent {}\n             by: {}\n",
                             r.entry->line, r.entry->text, r.events.front());
  }
  for (const auto& f : row.result.forced_paths) {
    std::cout << fmt::format("    forced_path line {}: {}\n", f.entry->line, f.status);
    for (const auto& r : f.on_natural_path) {
      std::cout << fmt::format(
          "    violated line {:<3} forced-path behaviour on the natural path: {}\n"
          "             by: {}\n",
          r.entry->line, r.entry->text, r.events.front());
    }
  }
}

json RowJson(const Row& row) {
  json j = {{"sample", row.sample},
            {"arch", row.arch},
            {"required", row.required},
            {"passed", row.passed()}};
  if (!row.problem.empty()) {
    j["problem"] = row.problem;
    return j;
  }
  j["status"] = row.status;
  j["end_reason"] = row.end_reason;
  j.update(row.result.ToJson());
  j["passed"] = row.passed();  // ToJson's `passed` ignores the report status
  return j;
}

Expected<std::vector<std::uint8_t>> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open the sample", path);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
}

int RunCheck(const SamplesArgs& a) {
  auto manifest = ReadManifest(fs::path(a.corpus_dir) / "manifest.tsv");
  if (!manifest) return Fail(manifest.error());
  auto required = ReadRequired(a.require_file);
  if (!required) return Fail(required.error());

  // Every samples/<name>/expected.yaml, sorted by name so the table is stable.
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(a.samples_dir, ec)) {
    fs::path file = dir.path() / "expected.yaml";
    if (!fs::exists(file)) continue;
    std::string name = dir.path().filename().string();
    if (!a.only.empty() && std::find(a.only.begin(), a.only.end(), name) == a.only.end()) continue;
    files.push_back(file);
  }
  if (ec) return Fail(Error{ErrorCode::kNotFound, "cannot list the samples folder", a.samples_dir});
  std::sort(files.begin(), files.end());

  // Parse everything first so the progress line knows the total.
  struct Job {
    std::string name;
    std::optional<corpus::SampleExpectations> expected;
    std::string problem;
  };
  std::vector<Job> jobs;
  int total_builds = 0;
  for (const auto& file : files) {
    Job job{file.parent_path().filename().string(), std::nullopt, {}};
    auto parsed = corpus::LoadExpected(file);
    if (parsed) {
      total_builds += static_cast<int>(parsed->arch.size());
      job.expected = std::move(*parsed);
    } else {
      job.problem = parsed.error().ToString();
      total_builds += 1;
    }
    jobs.push_back(std::move(job));
  }

  malware::AnalyzeOptions profile;  // only its environment profile is used
  if (!a.environment.empty()) {
    if (auto used = malware::UseEnvironmentProfile(profile, a.environment); !used) {
      return Fail(used.error());
    }
  }

  bool progress = StderrIsTerminal();
  std::vector<Row> rows;
  int done = 0;
  for (const auto& job : jobs) {
    if (!job.expected) {
      rows.push_back(Row{job.name, "-", false, "bad expected.yaml: " + job.problem, {}, {}, {}});
      continue;
    }
    const auto& expected = *job.expected;
    for (corpus::Arch arch : expected.arch) {
      Row row{job.name, std::string(corpus::ArchName(arch)), false, {}, {}, {}, {}};
      row.required = required->contains({row.sample, row.arch});
      ++done;
      if (progress)
        std::cerr << fmt::format("\r[{}/{}] {} {} …\033[K", done, total_builds, row.sample,
                                 row.arch)
                  << std::flush;
      auto path = manifest->find({row.sample, row.arch});
      auto bytes = path == manifest->end()
                       ? Expected<std::vector<std::uint8_t>>(
                             MakeError(ErrorCode::kNotFound, "not in manifest.tsv (not built)"))
                       : ReadFile(path->second);
      if (!bytes) {
        row.problem = bytes.error().ToString();
        rows.push_back(std::move(row));
        continue;
      }
      malware::AnalyzeOptions options;
      options.file_name = fs::path(path->second).filename().string();
      // A DLL's `run` list is what the corpus (and bench/samples_wine.sh) calls after DllMain.
      if (!expected.run.empty()) options.dll_exports = expected.run;
      if (a.timeout_seconds > 0)
        options.limits.max_wall_ms = static_cast<std::uint64_t>(a.timeout_seconds) * 1000;
      options.environment_profile = profile.environment_profile;
      options.environment_profile_name = profile.environment_profile_name;
      if (a.max_paths >= 0) options.explore.max_paths = a.max_paths;
      json report = malware::Analyze(*bytes, options);
      row.status = report.value("status", "");
      if (report.contains("run")) row.end_reason = report["run"].value("end_reason", "");
      row.result = corpus::CheckReport(expected, report, arch);
      rows.push_back(std::move(row));
    }
  }
  if (progress) std::cerr << "\r\033[K" << std::flush;

  int passed = 0;
  std::vector<std::string> regressions;
  std::set<BuildKey> seen;
  for (const auto& row : rows) {
    seen.insert({row.sample, row.arch});
    if (row.passed()) ++passed;
    if (row.required && !row.passed()) regressions.push_back(row.sample + " " + row.arch);
  }
  // A required build the run did not reach (renamed sample, dropped arch) is a regression too —
  // unless --only left it out on purpose.
  for (const auto& [name, arch] : *required) {
    bool selected = a.only.empty() || std::find(a.only.begin(), a.only.end(), name) != a.only.end();
    if (selected && !seen.contains({name, arch}))
      regressions.push_back(name + " " + arch + " (not checked)");
  }

  if (a.json_out) {
    json out = {
        {"samples", json::array()},
        {"summary", {{"builds", rows.size()}, {"passed", passed}, {"regressions", regressions}}}};
    for (const auto& row : rows) out["samples"].push_back(RowJson(row));
    PrintJson(out);
  } else {
    std::cout << fmt::format("{:<28} {:<4} {:>7} {:>5}  {}\n", "sample", "arch", "met", "viol",
                             "result");
    for (const auto& row : rows) PrintRow(row);
    std::cout << fmt::format("\n{} of {} builds pass", passed, rows.size());
    if (!a.require_file.empty()) {
      std::cout << fmt::format("; {} required, {} regressed", required->size(), regressions.size());
    }
    std::cout << "\n";
    for (const auto& r : regressions) std::cout << "regression: " << r << "\n";
  }
  return regressions.empty() ? 0 : 1;
}

// mamori samples lint: every samples/*/expected.yaml parses with the vocabulary of
// docs/formats/samples-expected.md (the one parser the checker uses).
int RunLint(const SamplesArgs& a) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(a.samples_dir, ec)) {
    fs::path file = entry.path() / "expected.yaml";
    if (entry.is_directory() && fs::exists(file)) files.push_back(file);
  }
  if (ec) return Fail(Error{ErrorCode::kNotFound, "cannot list the samples", a.samples_dir});
  std::sort(files.begin(), files.end());
  json problems = json::array();
  for (const auto& file : files) {
    auto parsed = corpus::LoadExpected(file);
    std::string folder = file.parent_path().filename().string();
    std::string problem;
    if (!parsed) {
      problem = parsed.error().ToString();
    } else if (parsed->sample != folder) {
      problem = fmt::format("{}: sample is '{}', expected '{}' (the folder name)", file.string(),
                            parsed->sample, folder);
    }
    if (problem.empty()) continue;
    problems.push_back(problem);
    if (!a.json_out) std::cerr << problem << "\n";
  }
  if (a.json_out) {
    std::cout << json{{"files", files.size()}, {"problems", problems}}.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{} expected.yaml files, {} with problems\n", files.size(),
                             problems.size());
  }
  return problems.empty() ? 0 : 1;
}

}  // namespace

void RegisterSamplesCommands(CLI::App& app, Context& ctx) {
  auto* samples =
      AddCommand(app, "samples", "The malware-analysis test corpus (samples/, docs/samples.md).");
  samples->require_subcommand(1);
  auto args = std::make_shared<SamplesArgs>();
  auto* check = AddCommand(
      *samples, "check",
      "Analyse every built sample and check its report against samples/<name>/expected.yaml.\n"
      "Prints, per sample and arch, the expectations met, the `absent` entries violated and the\n"
      "misses with the closest events of the report. forced_path and evasion payload entries\n"
      "are checked against the paths multi-path exploration forced (docs/malware-evasion.md).\n"
      "Examples:  mamori samples check --corpus build/samples\n"
      "           mamori samples check --corpus build/samples --only run_key --json\n"
      "           mamori samples check --corpus build/samples --require samples/required.txt\n"
      "Exit code: 0, or 1 when a build listed in --require fails (or on an error).");
  check
      ->add_option("--corpus", args->corpus_dir,
                   "The built corpus: <build>/samples (with manifest.tsv)")
      ->required()
      ->type_name("DIR");
  check
      ->add_option("--samples-dir", args->samples_dir,
                   "The samples sources with expected.yaml (default: samples)")
      ->type_name("DIR");
  check
      ->add_option("--require", args->require_file,
                   "Builds that must pass, one '<sample> <arch>' per line (samples/required.txt)")
      ->type_name("FILE");
  check->add_option("--only", args->only, "Check only this sample (repeatable)")->type_name("NAME");
  check->add_flag("--json", args->json_out, "Print the results as JSON");
  check->add_option("--timeout", args->timeout_seconds,
                    "Wall-clock budget per analysis in seconds (default 60)");
  check->add_option("--environment", args->environment,
                    "Environment profile the samples see instead of the default workstation "
                    "(e.g. data/environments/sandbox-virtualbox.toml; the evasion figures use it)")
      ->type_name("FILE");
  check->add_option("--max-paths", args->max_paths,
                    "Forced paths explored per build (default 24; 0 = natural run only)");
  check->callback([args, &ctx] { ctx.exit_code = RunCheck(*args); });

  auto lint_args = std::make_shared<SamplesArgs>();
  auto* lint = AddCommand(
      *samples, "lint",
      "Parse every samples/<name>/expected.yaml with the checker's own parser: unknown keys,\n"
      "kinds, ops, check families and malformed entries are errors naming the file and line.\n"
      "Example:   mamori samples lint --samples-dir samples\n"
      "Exit code: 0 when every file is valid, 1 otherwise.");
  lint->add_option("--samples-dir", lint_args->samples_dir,
                   "The samples sources with expected.yaml (default: samples)")
      ->type_name("DIR");
  lint->add_flag("--json", lint_args->json_out, "Print the result as JSON");
  lint->callback([lint_args, &ctx] { ctx.exit_code = RunLint(*lint_args); });
}

}  // namespace mamori::cli
