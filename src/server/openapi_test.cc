// docs/api.yaml must describe every route the server registers. The routes are read from the
// server's sources (every `.Get("...")`, `.Post(R"(...)")`, ... under src/server), so a route
// added anywhere fails this test until its path and method are in api.yaml. Regex captures in a
// registration are compared with OpenAPI parameters by position only:
// "/api/v1/detections/(\d{1,18})" matches "/api/v1/detections/{id}"; a group of words such as
// "(approve|reject)" stands for one literal path per word.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace mamori::server {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A registered path pattern as templates with "{}" for each capture group. A group of plain
// words ("(approve|reject)") is a set of literal paths, one template each; an optional group
// ("(/.*)?") is dropped, since its path without it is the route api.yaml lists.
std::vector<std::string> PatternToTemplates(const std::string& pattern) {
  static const std::regex kWords(R"([A-Za-z0-9_-]+(\|[A-Za-z0-9_-]+)*)");
  std::vector<std::string> out = {""};
  auto append = [&](const std::vector<std::string>& choices) {
    std::vector<std::string> next;
    for (const auto& prefix : out) {
      for (const auto& c : choices) next.push_back(prefix + c);
    }
    out = std::move(next);
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      append({std::string(1, pattern[++i])});
    } else if (c == '(') {
      int depth = 1;
      size_t j = i + 1;
      for (; j < pattern.size() && depth > 0; ++j) {
        if (pattern[j] == '\\') {
          ++j;
        } else if (pattern[j] == '(') {
          ++depth;
        } else if (pattern[j] == ')') {
          --depth;
        }
      }
      std::string group = pattern.substr(i + 1, j - i - 2);
      i = j - 1;
      if (i + 1 < pattern.size() && pattern[i + 1] == '?') {
        ++i;
      } else if (std::regex_match(group, kWords)) {
        std::vector<std::string> words;
        std::stringstream in(group);
        for (std::string w; std::getline(in, w, '|');) words.push_back(w);
        append(words);
      } else {
        append({"{}"});
      }
    } else {
      append({std::string(1, c)});
    }
  }
  return out;
}

// "/api/v1/users/{name}" -> "/api/v1/users/{}".
std::string NormalizeTemplate(const std::string& path) {
  static const std::regex kParameter(R"(\{[^}]*\})");
  return std::regex_replace(path, kParameter, "{}");
}

struct Route {
  std::string method;  // lower case, as in OpenAPI
  std::string path;    // normalized template
  std::string file;
  bool operator<(const Route& o) const {
    return std::tie(method, path) < std::tie(o.method, o.path);
  }
};

std::set<Route> RegisteredRoutes() {
  static const std::regex kRegistration(
      R"re(\.(Get|Post|Put|Patch|Delete|Options)\(\s*(?:R"\(([\s\S]*?)\)"|"([^"]*)"))re");
  std::set<Route> routes;
  fs::path dir = fs::path(MAMORI_SOURCE_DIR) / "src" / "server";
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".cc" || name.ends_with("_test.cc")) continue;
    std::string text = ReadFile(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), kRegistration), end; it != end; ++it) {
      std::string method = (*it)[1].str();
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      std::string pattern = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
      if (!pattern.starts_with("/")) continue;
      for (const auto& path : PatternToTemplates(pattern)) {
        routes.insert({method, NormalizeTemplate(path), name});
      }
    }
  }
  return routes;
}

TEST(OpenApiTest, PatternsBecomeTemplates) {
  using V = std::vector<std::string>;
  EXPECT_EQ(PatternToTemplates(R"(/api/v1/detections/(\d{1,18}))"), V{"/api/v1/detections/{}"});
  EXPECT_EQ(PatternToTemplates(R"(/ui(/.*)?)"), V{"/ui"});
  EXPECT_EQ(PatternToTemplates(R"(/a/([^/]+)/b/(x|(y)))"), V{"/a/{}/b/{}"});
  EXPECT_EQ(PatternToTemplates(R"(/x/(\d+)/(approve|reject))"),
            (V{"/x/{}/approve", "/x/{}/reject"}));
  EXPECT_EQ(PatternToTemplates(R"(/edl/([^/]+)\.txt)"), V{"/edl/{}.txt"});
  EXPECT_EQ(NormalizeTemplate("/api/v1/users/{name}"), "/api/v1/users/{}");
}

TEST(OpenApiTest, ApiYamlDescribesEveryRegisteredRoute) {
  fs::path spec_path = fs::path(MAMORI_SOURCE_DIR) / "docs" / "api.yaml";
  YAML::Node spec;
  try {
    spec = YAML::LoadFile(spec_path.string());
  } catch (const YAML::Exception& e) {
    FAIL() << spec_path << ": " << e.what();
  }
  ASSERT_EQ(spec["openapi"].as<std::string>().substr(0, 2), "3.");
  std::set<Route> documented;
  for (const auto& path : spec["paths"]) {
    for (const auto& op : path.second) {
      documented.insert(
          {op.first.as<std::string>(), NormalizeTemplate(path.first.as<std::string>()), ""});
    }
  }
  std::set<Route> registered = RegisteredRoutes();
  ASSERT_GT(registered.size(), 10u) << "the source scan found too few routes";
  for (const auto& route : registered) {
    EXPECT_TRUE(documented.contains(route))
        << route.method << " " << route.path << " (registered in src/server/.../" << route.file
        << ") is missing from docs/api.yaml";
  }
}

}  // namespace
}  // namespace mamori::server
