// Writes a domain world to a directory; see writers.h.
#include "domain/sim/writers.h"

#include <algorithm>
#include <filesystem>

#include "domain/sim/internal/output.h"

namespace mamori::domain::sim {

namespace fs = std::filesystem;

namespace {
constexpr const char* kOurFiles[] = {"world.json", "truth.csv", "labels.csv"};
constexpr const char* kOurFolders[] = {"pdns", "popularity", "zones", "rdap", "blocklists", "asn"};
}  // namespace

Status PrepareOutputDir(const std::string& out_dir, bool force) {
  std::error_code ec;
  fs::path root(out_dir);
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) {
      return MakeError(ErrorCode::kInvalidArgument, "exists and is not a directory", out_dir);
    }
    if (!fs::is_empty(root, ec)) {
      if (!force) {
        return MakeError(ErrorCode::kAlreadyExists,
                         "directory is not empty; choose another or pass --force to replace an "
                         "earlier world there",
                         out_dir);
      }
      for (const char* name : kOurFiles) fs::remove(root / name, ec);
      for (const char* name : kOurFolders) {
        fs::remove_all(root / name, ec);
        if (ec) return MakeError(ErrorCode::kIo, ec.message(), (root / name).string());
      }
    }
  }
  fs::create_directories(root, ec);
  if (ec) return MakeError(ErrorCode::kIo, ec.message(), out_dir);
  return Ok();
}

nlohmann::ordered_json WorldSummary(const World& world) {
  const WorldConfig& c = world.config;
  nlohmann::ordered_json j;
  j["generator"] = "mamori sim domains";
  j["format_version"] = 1;
  j["note"] = "synthetic world for demos and tests; report results on it separately from real data";
  j["seed"] = c.seed;
  j["start"] = FormatDate(c.start_epoch_day);
  j["end"] = FormatDate(c.start_epoch_day + c.days - 1);
  j["days"] = c.days;
  j["domains"] = c.domains;
  j["zeek_days"] = c.zeek_days;
  auto mix = EffectiveMix(c);
  int malicious = 0;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (int k = 0; k < kKindCount; ++k) {
    const KindInfo& info = Kinds()[k];
    kinds[std::string(info.name)] = {{"malicious", info.malicious},
                                     {"share", mix[k]},
                                     {"count", world.counts[k]}};
    if (info.malicious) malicious += world.counts[k];
  }
  j["kinds"] = kinds;
  j["malicious"] = malicious;
  j["benign"] = c.domains - malicious;
  int listed = 0, listed_benign = 0;
  for (const Domain& d : world.domains) {
    if (d.first_listed == kNoDay) continue;
    ++listed;
    listed_benign += d.malicious ? 0 : 1;
  }
  j["listed"] = listed;
  j["listed_benign"] = listed_benign;
  j["benign_label_days"] = world.benign_label_days;
  j["tlds"] = world.tlds;
  nlohmann::ordered_json feeds = nlohmann::ordered_json::array();
  for (const Feed& f : world.feeds) {
    nlohmann::ordered_json coverage = nlohmann::ordered_json::object();
    for (int k = 0; k < kKindCount; ++k) {
      if (f.coverage[k] > 0) coverage[std::string(Kinds()[k].name)] = f.coverage[k];
    }
    feeds.push_back({{"name", f.name},
                     {"coverage", coverage},
                     {"lag_days", {{"min", f.lag_min}, {"scale", f.lag_scale},
                                   {"pareto_alpha", f.lag_alpha}, {"cap", f.lag_cap}}},
                     {"listing_days", {f.keep_min, f.keep_max}},
                     {"false_positive_rate", f.false_positive_rate}});
  }
  j["feeds"] = feeds;
  nlohmann::ordered_json asns = nlohmann::ordered_json::object();
  for (const Asn& a : world.asns) {
    std::string kind(AsnKindName(a.kind));
    if (!asns.contains(kind)) asns[kind] = nlohmann::ordered_json::array();
    asns[kind].push_back(a.number);
  }
  j["asns"] = asns;
  nlohmann::ordered_json families = nlohmann::ordered_json::array();
  for (const DgaFamily& f : world.families) {
    nlohmann::ordered_json bursts = nlohmann::ordered_json::array();
    for (const auto& b : f.bursts) {
      bursts.push_back({FormatDate(c.start_epoch_day + b.from), FormatDate(c.start_epoch_day + b.to)});
    }
    std::vector<std::string> tlds;
    for (uint8_t t : f.tlds) tlds.push_back(world.tlds[t]);
    families.push_back({{"name", f.name},
                        {"scheme", f.scheme},
                        {"tlds", tlds},
                        {"hosting", f.residential ? "residential" : "bulletproof"},
                        {"bursts", bursts}});
  }
  j["dga_families"] = families;
  return j;
}

Expected<WriteResult> WriteWorld(const World& world, const std::string& out_dir,
                                 const Progress& progress) {
  internal::OutputDir dir;
  dir.root = out_dir;
  MAMORI_RETURN_IF_ERROR(internal::WriteIp2Asn(world, dir));
  MAMORI_RETURN_IF_ERROR(internal::WriteZones(world, dir, progress));
  MAMORI_RETURN_IF_ERROR(internal::WriteRdap(world, dir, progress));
  std::vector<int> benign_label_day;
  MAMORI_RETURN_IF_ERROR(internal::WritePopularity(world, dir, benign_label_day, progress));
  MAMORI_RETURN_IF_ERROR(internal::WriteBlocklists(world, dir, progress));
  MAMORI_RETURN_IF_ERROR(internal::WriteTruthAndLabels(world, benign_label_day, dir));
  MAMORI_RETURN_IF_ERROR(internal::WriteDnsdb(world, dir, progress));
  MAMORI_RETURN_IF_ERROR(internal::WriteZeek(world, dir, progress));

  std::sort(dir.files.begin(), dir.files.end());
  nlohmann::ordered_json j = WorldSummary(world);
  j["files"] = dir.files;
  j["files"].push_back("world.json");
  auto f = internal::OutFile::Open(dir, "world.json");
  if (!f) return tl::unexpected(f.error());
  (*f)->Write(j.dump(2));
  (*f)->Write("\n");
  MAMORI_RETURN_IF_ERROR((*f)->Close());
  std::sort(dir.files.begin(), dir.files.end());
  return WriteResult{std::move(dir.files), dir.bytes};
}

}  // namespace mamori::domain::sim
