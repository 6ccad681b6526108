#include "shim.h"
#include <cstdlib>
#include <cstring>

static thread_local std::string last_error;
static thread_local bool has_error = false;

void ts_set_error(const char* message) {
  last_error = message ? message : "";
  has_error = true;
}

char* ts_strdup(const std::string& s) {
  char* out = (char*)std::malloc(s.size() + 1);
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Returns the pending error message (owned by the caller, free with ts_string_free)
// and clears it, or nullptr when the last call on this thread succeeded.
TS_EXPORT char* ts_take_error() {
  if (!has_error) return nullptr;
  has_error = false;
  return ts_strdup(last_error);
}

TS_EXPORT void ts_string_free(char* s) { std::free(s); }
