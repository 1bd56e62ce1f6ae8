// Signal handling for the daemons: block signals and wait for them synchronously.
#pragma once

#include <chrono>
#include <csignal>
#include <initializer_list>
#include <optional>

namespace fwhub::sys {

// Blocks the signals in the calling thread (threads created afterwards inherit the mask).
void block_signals(std::initializer_list<int> signals);
// Restores an empty signal mask in the calling thread.
void unblock_all_signals();
// Waits for one of the (blocked) signals; nullopt on timeout.
std::optional<int> wait_signal(std::initializer_list<int> signals, std::chrono::milliseconds timeout);
// Installs a handler that does nothing, without SA_RESTART, so that a blocking call in the
// receiving thread returns EINTR (used to wake threads blocked in accept()).
void install_wakeup_handler(int signal);

}  // namespace fwhub::sys
