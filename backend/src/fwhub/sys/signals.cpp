// sigprocmask/sigtimedwait wrappers.
#include "fwhub/sys/signals.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace fwhub::sys {
namespace {

sigset_t make_set(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : signals) {
    sigaddset(&set, signal);
  }
  return set;
}

void ignore_signal(int /*signal*/) {}

}  // namespace

void block_signals(std::initializer_list<int> signals) {
  const sigset_t set = make_set(signals);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void unblock_all_signals() {
  sigset_t set;
  sigemptyset(&set);
  pthread_sigmask(SIG_SETMASK, &set, nullptr);
}

std::optional<int> wait_signal(std::initializer_list<int> signals, std::chrono::milliseconds timeout) {
  const sigset_t set = make_set(signals);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{seconds.count(), std::chrono::duration_cast<std::chrono::nanoseconds>(timeout - seconds).count()};
  for (;;) {
    const int signal = sigtimedwait(&set, nullptr, &wait);
    if (signal >= 0) {
      return signal;
    }
    if (errno != EINTR) {
      return std::nullopt;
    }
  }
}

void install_wakeup_handler(int signal) {
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(signal, &action, nullptr);
}

}  // namespace fwhub::sys
