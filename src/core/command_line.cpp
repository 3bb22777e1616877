#include "msopt/core/command_line.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace msopt {

namespace {

constexpr std::streamsize kMaxOptionsFileBytes = 1 << 20;

// Stray words: PETSc skips a word that follows an option's value.
void check_tokens(const std::vector<std::string>& tokens, const std::string& where) {
  bool value_allowed = false;
  for (const auto& token : tokens) {
    if (is_option_name(token)) {
      value_allowed = true;
    } else if (value_allowed) {
      value_allowed = false;
    } else {
      throw std::invalid_argument("unexpected word '" + token + "' " + where +
                                  " (an option takes at most one value; quote lists without spaces: -x 1,2,3)");
    }
  }
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string w; stream >> w;) words.push_back(w);
  return words;
}

void check_options_file(const std::string& path, std::vector<std::string>& chain);

// Printable characters, white space and well-formed UTF-8 only.
bool is_text(const std::string& text) {
  for (size_t k = 0; k < text.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(text[k]);
    if (c < 0x80) {
      if (c == 0 || (c < 32 && !std::isspace(c)) || c == 0x7f) return false;
      continue;
    }
    const int follow = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (follow < 0 || k + follow >= text.size()) return false;
    for (int j = 1; j <= follow; ++j)
      if ((static_cast<unsigned char>(text[k + j]) & 0xc0) != 0x80) return false;
    k += follow;
  }
  return true;
}

// Every "-options_file F" among `tokens` names a file that PETSc can read.
void check_nested_files(const std::vector<std::string>& tokens, std::vector<std::string>& chain) {
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k] != "-options_file") continue;
    if (k + 1 >= tokens.size() || is_option_name(tokens[k + 1]))
      throw std::invalid_argument("option -options_file: needs a file name");
    check_options_file(tokens[k + 1], chain);
  }
}

void check_options_file(const std::string& path, std::vector<std::string>& chain) {
  const std::string where = "option -options_file: '" + path + "'";
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) throw std::invalid_argument(where + " does not exist");
  if (!S_ISREG(info.st_mode))
    throw std::invalid_argument(where + (S_ISDIR(info.st_mode) ? " is a folder" : " is not a regular file"));
  if (access(path.c_str(), R_OK) != 0) throw std::invalid_argument(where + " is not readable");
  const std::string canonical = std::filesystem::canonical(path).string();
  for (const auto& outer : chain)
    if (outer == canonical) throw std::invalid_argument(where + " includes itself (through -options_file)");
  if (info.st_size > kMaxOptionsFileBytes) throw std::invalid_argument(where + " is larger than 1 MiB: not an options file");
  std::ifstream file(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!is_text(text)) throw std::invalid_argument(where + " is not a text file");
  chain.push_back(canonical);
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    auto tokens = split_words(line);
    if (tokens.empty()) continue;
    // "alias -a -b" lines are PETSc's own syntax.
    if (tokens[0] == "alias") continue;
    // PETSc reads one option and its value per line and refuses anything more.
    if (!is_option_name(tokens[0]) || tokens.size() > 2)
      throw std::invalid_argument(where + " line " + std::to_string(number) + ": '" + line +
                                  "': one option per line (-name value)");
    check_nested_files(tokens, chain);
  }
  chain.pop_back();
}

}  // namespace

bool is_option_name(const std::string& token) {
  if (token.size() < 2 || token[0] != '-') return false;
  char* end = nullptr;
  std::strtod(token.c_str(), &end);
  return !(end && *end == '\0');  // -1, -1e-3, -inf, -nan are values
}

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine line;
  int k = 1;
  for (; k < argc && argv[k][0] != '-'; ++k) line.words.emplace_back(argv[k]);
  for (; k < argc; ++k) {
    const std::string token = argv[k];
    if (token == "-help" || token == "--help" || token == "-h")
      line.help = true;
    else
      line.options.push_back(token);
  }
  check_tokens(line.options, "on the command line");
  std::vector<std::string> chain;
  check_nested_files(line.options, chain);
  if (const char* env = std::getenv("PETSC_OPTIONS")) {
    auto tokens = split_words(env);
    check_tokens(tokens, "in PETSC_OPTIONS");
    check_nested_files(tokens, chain);
  }
  for (size_t i = 0; i + 1 < line.options.size(); ++i) {
    if (line.options[i] != "-watchdog_seconds") continue;
    char* end = nullptr;
    line.watchdog_seconds = std::strtod(line.options[i + 1].c_str(), &end);
    if (!(end && *end == '\0') || !(line.watchdog_seconds >= 0) || line.watchdog_seconds > 1e9)
      throw std::invalid_argument("option -watchdog_seconds: expected seconds >= 0, got '" + line.options[i + 1] + "'");
  }
  return line;
}

}  // namespace msopt
