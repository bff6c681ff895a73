// OpenMP settings of the auralflow program, made before any library starts.
//
// GNU OpenMP (libgomp, under LibTorch and oneDNN) reads its environment once, when the library
// is loaded, and by default its idle threads spin for a long while before they sleep. On a
// machine whose cores are also busy with other work, a spinning thread holds a core that the
// thread it waits for needs: with 2 threads on 2 loaded cores, a forward pass of the default
// SpectrogramNetSimple took 4-5x longer than with 1 thread. Sleeping at once (passive waiting)
// costs a wake-up per parallel region, tens of microseconds against milliseconds of work.
//
// The executable's .preinit_array runs before the initialisers of every shared library, so
// the variable is in place when libgomp reads it. An OMP_WAIT_POLICY or GOMP_SPINCOUNT set by
// the user wins; worker processes inherit the setting.
#include <cstdlib>

namespace {

void passive_openmp_by_default(int /*argc*/, char** /*argv*/, char** /*envp*/) {
  if (std::getenv("GOMP_SPINCOUNT") == nullptr) setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
}

__attribute__((section(".preinit_array"),
               used)) void (*const preinit_openmp)(int, char**, char**) = passive_openmp_by_default;

}  // namespace
