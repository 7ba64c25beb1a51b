#include "cli/domain_support.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "domain/dga/dga_classifier.h"
#include "domain/ipinfo/ip_info.h"

namespace mamori::cli {

namespace {

Status ReadItems(const std::string& path, std::vector<std::string>& items) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return MakeError(ErrorCode::kIo, "cannot read the input file", path);
    in = &file;
  }
  for (std::string line; std::getline(*in, line);) {
    auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    items.push_back(line);
  }
  return Ok();
}

}  // namespace

Status CollectDomainItems(const std::vector<std::string>& args,
                          const std::vector<std::string>& files, std::vector<std::string>& items) {
  for (const auto& item : args) {
    if (item == "-") {
      MAMORI_RETURN_IF_ERROR(ReadItems("-", items));
    } else {
      items.push_back(item);
    }
  }
  for (const auto& f : files) MAMORI_RETURN_IF_ERROR(ReadItems(f, items));
  return Ok();
}

Expected<domain::reputation::ReputationModel> LoadReputationModel(const std::string& path,
                                                                  bool language_only) {
  namespace rep = domain::reputation;
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kIo, "cannot read the model file", path);
    std::stringstream text;
    text << in.rdbuf();
    return rep::ParseReputationModel(text.str(), path);
  }
  if (language_only) {
    MAMORI_ASSIGN_OR_RETURN(const domain::DgaClassifier* dga, domain::DgaClassifier::BuiltIn());
    rep::ReputationModel m;
    m.ngrams = dga->model().ngrams;
    m.lexicon = dga->model().lexicon;
    return m;
  }
  return rep::BuiltInReputationModel();
}

Expected<domain::reputation::AddressAnnotator> OpenAddressAnnotator(
    const std::vector<std::string>& paths) {
  if (paths.empty()) return domain::reputation::AddressAnnotator();
  MAMORI_ASSIGN_OR_RETURN(std::unique_ptr<domain::ipinfo::IpInfoSource> source,
                          domain::ipinfo::OpenIpInfo(paths));
  std::shared_ptr<const domain::ipinfo::IpInfoSource> shared(std::move(source));
  return domain::reputation::AddressAnnotator(
      [shared](const IpAddress& ip) -> std::optional<domain::reputation::AddressOwner> {
        std::optional<domain::ipinfo::IpInfo> info = shared->Lookup(ip);
        if (!info) return std::nullopt;
        return domain::reputation::AddressOwner{info->asn, info->country};
      });
}

Expected<domain::reputation::Truth> ReadTruthFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read the truth file", path);
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) {
      while (!f.empty() && (f.back() == '\r' || f.back() == ' ')) f.pop_back();
      fields.push_back(f);
    }
    return fields;
  };
  std::string line;
  if (!std::getline(in, line)) return MakeError(ErrorCode::kInvalidArgument, "empty file", path);
  const std::vector<std::string> header = split(line);
  auto column = [&](std::string_view name) -> int {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int domain = column("domain"), malicious = column("malicious"), label = column("label"),
            kind = column("kind");
  if (domain < 0 || (malicious < 0 && label < 0)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the first line must name a 'domain' column and a 'malicious' or 'label' "
                     "column",
                     path + ":1");
  }
  domain::reputation::Truth truth;
  int64_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = split(line);
    const int need = std::max({domain, malicious, label});
    if (static_cast<int>(f.size()) <= need) {
      return MakeError(ErrorCode::kInvalidArgument, "too few fields",
                       fmt::format("{}:{}", path, line_no));
    }
    const std::string& v = malicious >= 0 ? f[malicious] : f[label];
    domain::reputation::TruthEntry e;
    if (v == "1" || v == "true" || v == "malicious") {
      e.malicious = true;
    } else if (!(v == "0" || v == "false" || v == "benign")) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is neither malicious (1, true) nor benign (0, false)", v),
                       fmt::format("{}:{}", path, line_no));
    }
    if (kind >= 0 && kind < static_cast<int>(f.size())) e.kind = f[kind];
    truth[f[domain]] = e;
  }
  return truth;
}

}  // namespace mamori::cli
