// ReadYamlFiles: the *.yml / *.yaml files of a rule or playbook path, read whole — a single file,
// or every such file under a directory (recursively, sorted by path so load order and error
// order do not depend on the file system). Shared by the detection-rule and playbook loaders.
#pragma once

#include <string>
#include <vector>

namespace mamori {

struct YamlFile {
  std::string path;
  std::string text;
};

struct YamlFileError {
  std::string path;
  std::string reason;  // "no such file or directory", "cannot read the file", ...
};

// Files that cannot be read become errors; the others are returned. `skip_names` lists names
// (not paths) of files to leave out and of directories not to descend into — a directory's
// "assets.yml", or "playbooks" beside the detection rules.
std::vector<YamlFile> ReadYamlFiles(const std::string& path, std::vector<YamlFileError>* errors,
                                    const std::vector<std::string>& skip_names = {});

}  // namespace mamori
