#include "supervise.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "format.h"
#include "log.h"
#include "oom.h"
#include "procs.h"
#include "signals.h"
#include "spawn.h"
#include "status.h"
#include "stop.h"

struct supervisor {
	pid_t command;     /* also the command's process group */
	int whole_namespace; /* PID 1: every process in the namespace is ours */
	const struct options *opts;
	struct stop_state stop;
	struct oom_watch oom;
	int blind; /* the deadline came and the leftovers could not be listed */
};

/* Why a listing failed, for the notices that say what was not done. */
#define CANNOT_LIST "cannot list the remaining processes (/proc does not show gracefulinit)"

/* Rounded up: a grace deadline counted from it never ends before the grace
 * period has fully run (truncating let SIGKILL come up to 1 ms early). */
static long long monotonic_ms(void)
{
	return (clock_now_ns() + 999999) / 1000000;
}

/* Blocks until a signal arrives, or until the deadline if there is one: the
 * only wait in gracefulinit, so it never wakes up while nothing happens.
 * Returns the signal, 0 at the deadline. */
static int wait_signal(sigmask_bits set, long long deadline_ms, siginfo_t *info)
{
	for (;;) {
		int sig;
		if (deadline_ms == STOP_NO_DEADLINE) {
			sig = sigmask_wait(set, info, NULL);
		} else {
			/* To the nanosecond: a whole-millisecond wait would
			 * overshoot the deadline by up to 1 ms. */
			long long left = deadline_ms * 1000000 - clock_now_ns();
			if (left <= 0)
				return 0;
			struct timespec ts = { .tv_sec = left / 1000000000, .tv_nsec = left % 1000000000 };
			sig = sigmask_wait(set, info, &ts);
		}
		if (sig > 0)
			return sig;
		if (errno != EAGAIN && errno != EINTR)
			log_error("waiting for signals: %m");
	}
}

static void send_to(pid_t target, int sig)
{
	if (kill(target, sig) != 0 && errno != ESRCH)
		log_error("kill(%d, %s): %m", (int)target, signal_name(sig));
}

/* sig to target, then SIGCONT too when asked (cont). */
static void send_with_cont(pid_t target, int sig, int cont)
{
	send_to(target, sig);
	if (cont)
		send_to(target, SIGCONT);
}

/* After the command has exited, whatever remains is "the command". Its
 * group's number is not used then: once the group has no member left, the
 * number may have been reused by a process gracefulinit knows nothing of.
 * cont: SIGCONT after sig, to the same processes from the same listing. */
static void forward(const struct supervisor *sv, int sig, int cont)
{
	if (!sv->stop.main_exited) {
		log_debug("forwarding %s to process group %d", signal_name(sig), (int)sv->command);
		send_with_cont(-sv->command, sig, cont);
		return;
	}
	if (sv->whole_namespace) {
		send_with_cont(-1, sig, cont);
		return;
	}
	struct proc_list list;
	if (procs_collect(&list, 0) != 0) {
		log_notice("%s; %s not forwarded", CANNOT_LIST, signal_name(sig));
		return;
	}
	for (size_t i = 0; i < list.count; i++)
		send_with_cont(list.items[i].pid, sig, cont);
	procs_free(&list);
}

/* A member of the command's group that was sent a stop request and catches
 * or blocks it is handling it: a second SIGTERM would make many programs
 * abandon their cleanup (nginx turns a graceful QUIT drain into a fast
 * stop). One that ignores it, or any process outside the group, gets
 * SIGTERM, the one stop request it can act on. */
static int handling_request(const struct supervisor *sv, const struct proc_info *info, sigmask_bits requests)
{
	struct proc_signals sigs;

	if (requests == 0 || info->pgid != sv->command || procs_signals(info, &sigs) != 0)
		return 0;
	return ((sigs.caught | sigs.blocked) & requests) != 0;
}

static void terminate_leftovers(const struct supervisor *sv, sigmask_bits requests)
{
	struct proc_list list;
	size_t sent = 0;

	if (procs_collect(&list, sv->whole_namespace) != 0) {
		if (!sv->whole_namespace) {
			log_notice("command exited with status %d; %s to send them SIGTERM", sv->stop.main_status,
				   CANNOT_LIST);
			return;
		}
		log_notice("command exited with status %d; sent SIGTERM to the remaining processes",
			   sv->stop.main_status);
		send_with_cont(-1, SIGTERM, 1);
		return;
	}
	for (size_t i = 0; i < list.count; i++) {
		if (handling_request(sv, &list.items[i], requests))
			continue;
		send_with_cont(list.items[i].pid, SIGTERM, 1);
		list.items[sent++] = list.items[i];
	}
	list.count = sent;
	if (sent > 0) {
		char names[512];
		procs_describe(&list, names, sizeof(names));
		log_event("command exited with status %d; sent SIGTERM to %zu remaining process%s: %s",
			   sv->stop.main_status, sent, sent == 1 ? "" : "es", names);
	}
	procs_free(&list);
}

/* Without a listing only what is certain is done: PID 1's kill(-1) reaches
 * exactly its namespace, and the command's group is safe to signal while
 * the command is unreaped (its pid, and so the group's number, is held).
 * Anything else stays unseen, so gracefulinit stops waiting for it. */
static void kill_unlisted(struct supervisor *sv, const char *why)
{
	if (sv->whole_namespace) {
		send_to(-1, SIGKILL);
		log_event("%s; killed the remaining processes", why);
		return;
	}
	sv->blind = 1;
	if (!sv->stop.main_exited) {
		send_to(-sv->command, SIGKILL);
		log_event("%s; killed process group %d; %s, so gracefulinit exits without them", why,
			   (int)sv->command, CANNOT_LIST);
		return;
	}
	log_event("%s; %s to kill them, so gracefulinit exits without them", why, CANNOT_LIST);
}

/* Everything in scope gets SIGKILL. Outside PID 1 there is no kill(-1): the
 * descendants are listed and killed one by one, again until a listing finds
 * nothing new, since one could fork between a listing and its kill. */
static void kill_all(struct supervisor *sv, const char *why)
{
	struct proc_list list;
	char names[512] = "";
	size_t killed = 0;

	if (procs_collect(&list, sv->whole_namespace) != 0) {
		kill_unlisted(sv, why);
		return;
	}
	killed = list.count;
	procs_describe(&list, names, sizeof(names));
	if (sv->whole_namespace) {
		send_to(-1, SIGKILL);
	} else {
		if (!sv->stop.main_exited)
			send_to(-sv->command, SIGKILL);
		for (int pass = 0; pass < 100 && list.count > 0; pass++) {
			for (size_t i = 0; i < list.count; i++)
				send_to(list.items[i].pid, SIGKILL);
			procs_free(&list);
			if (procs_collect(&list, 0) != 0)
				break;
		}
	}
	procs_free(&list);
	log_event("%s; killed %zu process%s%s%s", why, killed, killed == 1 ? "" : "es", killed ? ": " : "", names);
}

/* "grace period 30s", or what happens without one. */
static void describe_grace(const struct supervisor *sv, char *buf, size_t size)
{
	char grace[32];

	if (sv->opts->grace_ms == STOP_GRACE_ENGINE) {
		format(buf, size, "no --grace: the engine's timeout decides");
		return;
	}
	duration_format(sv->opts->grace_ms, grace, sizeof(grace));
	format(buf, size, "grace period %s", grace);
}

static void announce_stop(const struct supervisor *sv, int received, const struct stop_action *act)
{
	char grace[96];

	if (act->flags & STOP_KILL_ALL)
		return; /* kill_all names what it killed */
	describe_grace(sv, grace, sizeof(grace));
	if (act->flags & STOP_HELD) {
		char delay[32];
		duration_format(sv->opts->stop_delay_ms, delay, sizeof(delay));
		log_notice("received %s; forwarding %s to process group %d in %s (--stop-delay); %s",
			   signal_name(received), signal_name(sv->stop.held_signal), (int)sv->command, delay, grace);
	} else if ((act->flags & STOP_FORWARD) && sv->stop.main_exited) {
		log_notice("received %s; forwarded %s to the remaining processes; %s", signal_name(received),
			   signal_name(act->signal), grace);
	} else if (act->flags & STOP_FORWARD) {
		log_notice("received %s; forwarded %s to process group %d; %s", signal_name(received),
			   signal_name(act->signal), (int)sv->command, grace);
	} else {
		log_notice("received %s; not forwarded (--rewrite); %s", signal_name(received), grace);
	}
}

/* No --grace: the log says what held the stop up before the engine's SIGKILL. */
static void notice_remaining(const struct supervisor *sv)
{
	struct proc_list list;

	if (procs_collect(&list, sv->whole_namespace) != 0)
		return;
	if (list.count > 0) {
		char names[512];
		procs_describe(&list, names, sizeof(names));
		log_event("%d s after the stop signal, %zu process%s still running: %s", STOP_NOTICE_MS / 1000,
			   list.count, list.count == 1 ? " is" : "es are", names);
	}
	procs_free(&list);
}

/* Returns 1 when gracefulinit is to exit with act->exit_status. */
static int carry_out(struct supervisor *sv, const struct stop_action *act)
{
	if (act->flags & STOP_FORWARD)
		forward(sv, act->signal, (act->flags & STOP_CONTINUE) != 0);
	if (act->flags & STOP_TERMINATE_LEFTOVERS)
		terminate_leftovers(sv, act->requests);
	if (act->flags & STOP_NOTICE_REMAINING)
		notice_remaining(sv);
	if (act->flags & STOP_KILL_ALL) {
		char grace[32], why[96];
		duration_format(sv->opts->grace_ms, grace, sizeof(grace));
		if (sv->opts->grace_ms == 0)
			format(why, sizeof(why), "no grace period (--grace 0)");
		else if (sv->opts->grace_ms == STOP_GRACE_ENGINE)
			format(why, sizeof(why), "%d s after the command exited (without --grace)",
			       STOP_LEFTOVER_GRACE_MS / 1000);
		else
			format(why, sizeof(why), "grace period %s expired", grace);
		kill_all(sv, why);
	}
	return (act->flags & STOP_EXIT) != 0;
}

/* A SIGKILL gracefulinit did not send, while the memory cgroup counted an
 * OOM kill: the log says so, and so does the termination message. */
static void name_kernel_kill(struct supervisor *sv, pid_t pid)
{
	char comm[16] = "?", limit[48];

	if (sv->stop.escalated || !oom_killed_since(&sv->oom))
		return;
	(void)procs_name(pid, comm);
	oom_describe_limit(&sv->oom, limit, sizeof(limit));
	log_event("%d (%s) was killed by the kernel's OOM killer (%s)", (int)pid, comm, limit);
}

/* A child killed by SIGKILL is looked at before it is reaped, while its
 * name can still be read: one more waitid per reap, so only where there
 * is an OOM count to compare with. */
static void peek_at_kill(struct supervisor *sv, pid_t *last)
{
	siginfo_t info;

	if (!oom_watching(&sv->oom))
		return;
	memset(&info, 0, sizeof(info));
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid <= 0 || info.si_pid == *last)
		return;
	*last = info.si_pid;
	if (info.si_code == CLD_KILLED && info.si_status == SIGKILL)
		name_kernel_kill(sv, info.si_pid);
}

/* SIGCHLD coalesces: one may stand for many exits, so reap until none is left. */
static struct stop_action reap(struct supervisor *sv)
{
	int main_exited_now = 0, main_status = 0, main_signal = 0, children_remain = 1;
	pid_t peeked = 0;

	for (;;) {
		int wstatus;
		peek_at_kill(sv, &peeked);
		pid_t pid = waitpid(-1, &wstatus, WNOHANG | WUNTRACED);
		if (pid > 0 && WIFSTOPPED(wstatus)) {
			/* As PID 1 there is no shell to hand the stop to. */
			if (pid == sv->command && !sv->whole_namespace)
				spawn_follow_stop(pid, WSTOPSIG(wstatus));
			continue;
		}
		if (pid > 0) {
			log_debug("reaped %d (status %d)", (int)pid, status_from_wait(wstatus));
			if (pid == sv->command) {
				main_exited_now = 1;
				main_status = status_from_wait(wstatus);
				main_signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
			}
			continue;
		}
		if (pid == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != ECHILD)
			log_error("waitpid: %m");
		children_remain = 0;
		break;
	}
	return stop_on_reaped(&sv->stop, main_exited_now, main_status, main_signal, children_remain, monotonic_ms());
}

/* A write to a stderr whose reader has gone raises SIGPIPE at gracefulinit
 * itself (the kernel sends it as from gracefulinit's own pid). It is no
 * message for the command: forwarding it killed apps mid-cleanup, and with
 * -v each forward logged, failed and raised another. */
static int raised_by_self(const siginfo_t *info)
{
	return info->si_code == SI_USER && info->si_pid == getpid();
}

static struct stop_action on_signal(struct supervisor *sv, int sig)
{
	int forward_as = rewrite_apply(&sv->opts->rewrite, sig);

	if (signal_policy(sig) == SIGNAL_RESERVED) {
		/* Blocked only so that it cannot end gracefulinit: to a program
		 * it would mean a thread cancellation or a timer it never set. */
		log_debug("received %s, a C library's internal signal; not forwarded", signal_name(sig));
		return (struct stop_action){ 0 };
	}
	log_debug("received %s", signal_name(sig));
	struct stop_action act = stop_on_signal(&sv->stop, sig, forward_as, monotonic_ms());
	if (act.flags & STOP_FIRST_STOP_SIGNAL)
		announce_stop(sv, sig, &act);
	return act;
}

int supervise(pid_t command, sigmask_bits wait_set, const struct options *opts)
{
	struct supervisor sv = { .command = command, .whole_namespace = getpid() == 1, .opts = opts };

	struct stop_config cfg = { opts->grace_ms, opts->stop_delay_ms, opts->stop_signal };

	stop_init(&sv.stop, &cfg);
	oom_watch_init(&sv.oom);
	for (;;) {
		struct stop_action act;
		siginfo_t info;
		int sig = wait_signal(wait_set, stop_next_deadline(&sv.stop), &info);
		if (sig == 0)
			act = stop_on_deadline(&sv.stop, monotonic_ms());
		else if (sig == SIGCHLD)
			act = reap(&sv);
		else if (raised_by_self(&info))
			continue;
		else
			act = on_signal(&sv, sig);
		if (carry_out(&sv, &act))
			return act.exit_status;
		/* Waiting for processes it cannot see or kill would be for ever. */
		if (sv.blind && sv.stop.main_exited)
			return sv.stop.main_status;
	}
}
