#include "supervisor_sys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "health_sys.h"
#include "clock.h"
#include "duration.h"
#include "format.h"
#include "log.h"
#include "oom.h"
#include "procs.h"
#include "secrets_sys.h"
#include "signals.h"
#include "spawn.h"
#include "status.h"
#include "supervisor.h"
#include "verdict_sys.h"
#include "wait_sys.h"

struct loop {
	pid_t command;       /* also the command's process group; 0 before the first start */
	int whole_namespace; /* PID 1: every process in the namespace is ours */
	const struct supervisor_config *cfg;
	const struct supervised *how;
	struct supervisor policy;
	pid_t check;         /* the health check that runs (also its group), or 0 */
	int check_moot;      /* it was ended: its result counts for nothing */
	struct waiters waiters; /* --wait */
	int has_next;        /* an action found an event for the policy: next */
	struct supervisor_input next;
	int exit_now;        /* the command cannot be started again: exit 125 */
	int own;             /* the exit status is gracefulinit's, not the command's */
	/* Last: the rest stays within the short offsets of the RISC targets
	 * and s390x. */
	char why[CHECK_WHY_MAX]; /* why the last check failed */
	struct oom_watch oom;
};

/* Why a listing failed, for the notices that say what was not done. */
#define CANNOT_LIST "cannot list the remaining processes (/proc does not show gracefulinit)"

/* The processes in scope, less a health check being ended: it is
 * gracefulinit's own, already killed, and no leftover of the command. */
static int collect(const struct loop *lp, struct proc_list *list, int whole_namespace)
{
	size_t kept = 0;

	if (procs_collect(list, whole_namespace) != 0)
		return -1;
	for (size_t i = 0; i < list->count; i++)
		if (lp->check == 0 || list->items[i].pgid != lp->check)
			list->items[kept++] = list->items[i];
	list->count = kept;
	return 0;
}

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
		if (deadline_ms == SUPERVISOR_NO_DEADLINE) {
			sig = sig_timedwait(set, info, NULL);
		} else {
			/* To the nanosecond: a whole-millisecond wait would
			 * overshoot the deadline by up to 1 ms. */
			long long left = deadline_ms * 1000000 - clock_now_ns();
			/* Past it, a signal already pending still comes first:
			 * a stop request before a restart that is due. */
			if (left < 0)
				left = 0;
			struct timespec ts = { .tv_sec = left / 1000000000, .tv_nsec = left % 1000000000 };
			sig = sig_timedwait(set, info, &ts);
			if (sig <= 0 && left == 0)
				return 0;
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
 * DO_CONTINUE: SIGCONT after the signal, to the same processes from the same
 * listing. */
static void deliver(const struct loop *lp, const struct supervisor_action *act)
{
	int sig = act->signal, cont = (act->todo & DO_CONTINUE) != 0;

	if (!(act->todo & DO_TO_REMAINING)) {
		log_debug("forwarding %s to process group %d", signal_name(sig), (int)lp->command);
		send_with_cont(-lp->command, sig, cont);
		return;
	}
	if (lp->whole_namespace) {
		send_with_cont(-1, sig, cont);
		return;
	}
	struct proc_list list;
	if (collect(lp, &list, 0) != 0) {
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
static int handling_request(const struct loop *lp, const struct proc_info *info, sigmask_bits requests)
{
	struct proc_signals sigs;

	if (requests == 0 || info->pgid != lp->command || procs_signals(info, &sigs) != 0)
		return 0;
	return ((sigs.caught | sigs.blocked) & requests) != 0;
}

static void terminate_leftovers(const struct loop *lp, const struct supervisor_action *act)
{
	struct proc_list list;
	size_t sent = 0;

	if (collect(lp, &list, lp->whole_namespace) != 0) {
		if (!lp->whole_namespace) {
			log_notice("command exited with status %d; %s to send them SIGTERM", act->status, CANNOT_LIST);
			return;
		}
		send_with_cont(-1, SIGTERM, 1);
		log_notice("command exited with status %d; sent SIGTERM to the remaining processes", act->status);
		return;
	}
	for (size_t i = 0; i < list.count; i++) {
		if (handling_request(lp, &list.items[i], act->requests))
			continue;
		send_with_cont(list.items[i].pid, SIGTERM, 1);
		list.items[sent++] = list.items[i];
	}
	list.count = sent;
	if (sent > 0) {
		char names[512];
		procs_describe(&list, names, sizeof(names));
		log_event("command exited with status %d; sent SIGTERM to %zu remaining process%s: %s", act->status,
			  sent, sent == 1 ? "" : "es", names);
	}
	procs_free(&list);
}

/* Without a listing only what is certain is done: PID 1's kill(-1) reaches
 * exactly its namespace, and the command's group is safe to signal while
 * the command is unreaped (its pid, and so the group's number, is held).
 * Anything else stays unseen, and the policy hears so. */
static void kill_unlisted(struct loop *lp, const char *why, int group_alive)
{
	if (lp->whole_namespace) {
		send_to(-1, SIGKILL);
		log_event("%s; killed the remaining processes", why);
		return;
	}
	lp->has_next = 1; /* the policy hears it next */
	lp->next = (struct supervisor_input){ .event = EV_UNSEEN };
	if (group_alive) {
		send_to(-lp->command, SIGKILL);
		log_event("%s; killed process group %d; %s, so gracefulinit exits without them", why,
			  (int)lp->command, CANNOT_LIST);
		return;
	}
	log_event("%s; %s to kill them, so gracefulinit exits without them", why, CANNOT_LIST);
}

/* Everything in scope gets SIGKILL. Outside PID 1 there is no kill(-1): the
 * descendants are listed and killed one by one, again until a listing finds
 * nothing new, since one could fork between a listing and its kill. */
static void kill_all(struct loop *lp, const char *why, int group_alive)
{
	struct proc_list list;
	char names[512] = "";
	size_t killed = 0;

	if (collect(lp, &list, lp->whole_namespace) != 0) {
		kill_unlisted(lp, why, group_alive);
		return;
	}
	killed = list.count;
	procs_describe(&list, names, sizeof(names));
	if (lp->whole_namespace) {
		send_to(-1, SIGKILL);
	} else {
		if (group_alive)
			send_to(-lp->command, SIGKILL);
		for (int pass = 0; pass < 100 && list.count > 0; pass++) {
			for (size_t i = 0; i < list.count; i++)
				send_to(list.items[i].pid, SIGKILL);
			procs_free(&list);
			if (collect(lp, &list, 0) != 0)
				break;
		}
	}
	procs_free(&list);
	log_event("%s; killed %zu process%s%s%s", why, killed, killed == 1 ? "" : "es", killed ? ": " : "", names);
}

static void kill_for(struct loop *lp, const struct supervisor_action *act)
{
	char grace[32], why[96];

	switch (act->kill_reason) {
	case KILL_NO_GRACE:
		format(why, sizeof(why), "no grace period (--grace 0)");
		break;
	case KILL_LEFTOVERS_EXPIRED:
		format(why, sizeof(why), "%d s after the command exited (without --grace)",
		       SUPERVISOR_LEFTOVER_GRACE_MS / 1000);
		break;
	case KILL_GRACE_EXPIRED:
	case KILL_WATCHDOG_EXPIRED:
		duration_format(act->kill_reason == KILL_GRACE_EXPIRED ? lp->cfg->grace_ms : SUPERVISOR_WATCHDOG_GRACE_MS,
				grace, sizeof(grace));
		format(why, sizeof(why), "grace period %s expired", grace);
		break;
	}
	kill_all(lp, why, !(act->todo & DO_TO_REMAINING));
}

/* "grace period 30s", or what happens without one. gracefulinit's own
 * stop (the watchdog's, --watch's restart) has docker stop's default. */
static void describe_grace(const struct loop *lp, enum supervisor_cause cause, char *buf, size_t size)
{
	char grace[32];
	long long ms = lp->cfg->grace_ms;

	if (ms == SUPERVISOR_GRACE_ENGINE && cause != CAUSE_SIGNAL)
		ms = SUPERVISOR_WATCHDOG_GRACE_MS;
	if (ms == SUPERVISOR_GRACE_ENGINE) {
		format(buf, size, "no --grace: the engine's timeout decides");
		return;
	}
	duration_format(ms, grace, sizeof(grace));
	format(buf, size, "grace period %s", grace);
}

static void announce_stop(const struct loop *lp, int received, const struct supervisor_action *act)
{
	char grace[96], received_text[32], target[48] = "the remaining processes", delay[48] = "";
	const char *cause = act->cause == CAUSE_CHANGED ? "restarting (--watch)" : "unhealthy";

	if (act->cause == CAUSE_SIGNAL) {
		format(received_text, sizeof(received_text), "received %s", signal_name(received));
		cause = received_text;
	}
	if (act->todo & DO_EXIT) {
		log_notice("%s %s; exiting with status %d", cause,
			   act->todo & DO_END_WAIT ? "while waiting (--wait)" : "between two runs", act->status);
		return;
	}
	describe_grace(lp, act->cause, grace, sizeof(grace));
	if (!(act->todo & DO_TO_REMAINING))
		format(target, sizeof(target), "process group %d", (int)lp->command);
	if (act->todo & DO_HOLD) {
		char held[32];
		duration_format(lp->cfg->stop_delay_ms, held, sizeof(held));
		format(delay, sizeof(delay), " in %s (--stop-delay)", held);
	}
	if (act->todo & (DO_FORWARD | DO_HOLD))
		log_notice("%s; %s %s to %s%s; %s", cause, act->todo & DO_HOLD ? "forwarding" : "forwarded",
			   signal_name(act->signal), target, delay, grace);
	else
		log_notice("%s; not forwarded (--rewrite); %s", cause, grace);
}

/* No --grace: the log says what held the stop up before the engine's SIGKILL. */
static void notice_remaining(const struct loop *lp)
{
	struct proc_list list;

	if (collect(lp, &list, lp->whole_namespace) != 0)
		return;
	if (list.count > 0) {
		char names[512];
		procs_describe(&list, names, sizeof(names));
		log_event("%d s after the stop signal, %zu process%s still running: %s", SUPERVISOR_NOTICE_MS / 1000,
			  list.count, list.count == 1 ? " is" : "es are", names);
	}
	procs_free(&list);
}

/* A check that cannot even start failed: the policy hears so next. */
static void start_check(struct loop *lp)
{
	pid_t pid = check_start(lp->how->check, lp->how->cmd->env, lp->why, sizeof(lp->why));

	if (pid > 0) {
		lp->check = pid;
		lp->check_moot = 0;
		return;
	}
	lp->has_next = 1;
	lp->next = (struct supervisor_input){ .event = EV_CHECK_FAILED };
}

static void end_check(struct loop *lp)
{
	if (lp->check == 0)
		return;
	send_to(-lp->check, SIGKILL); /* its group: the shell's children too */
	lp->check_moot = 1; /* reaped later, like any child */
}

/* One line for each change of verdict, and what --on-unhealthy signal did. */
static void report_verdict(const struct loop *lp, const struct supervisor_action *act)
{
	verdict_publish(act->verdict, act->verdict == HEALTH_UNHEALTHY ? lp->why : "");
	if (act->verdict == HEALTH_HEALTHY)
		log_notice("healthy");
	if (act->verdict != HEALTH_UNHEALTHY)
		return;
	if (lp->cfg->watchdog.action == UNHEALTHY_SIGNAL)
		log_event("unhealthy after %d failed checks: %s; sent %s to process group %d (--on-unhealthy)",
			  act->failures, lp->why, signal_name(act->signal), (int)lp->command);
	else
		log_event("unhealthy after %d failed checks: %s", act->failures, lp->why);
}

static void announce_restart(const struct loop *lp, const struct supervisor_action *act)
{
	char delay[32];

	if (act->todo & DO_GIVE_UP) {
		duration_format(lp->cfg->restart.window_ms, delay, sizeof(delay));
		log_event("command exited with status %d; not restarting it: %d restarts in %s (--restart-limit)",
			  act->command_status, lp->cfg->restart.limit, delay);
		return;
	}
	duration_format(act->delay_ms, delay, sizeof(delay));
	log_event("command exited with status %d; restarting it in %s (restart %d)", act->status, delay, act->restarts);
}

/* The init keeps no directory busy (umount of the volume it was started in
 * would say "target is busy"); the command keeps its own working directory. */
static void leave_directory(void)
{
	if (chdir("/") != 0)
		log_error("chdir /: %m");
}

/* Each run: the same command, environment and signal state. A restart
 * re-reads the secrets, so that a rotated one reaches it, and starts where
 * the first run did; a command that never starts again leaves the init
 * neither its secrets nor its directory. */
static void spawn(struct loop *lp)
{
	if (lp->command != 0 || lp->cfg->wait.enabled)
		secrets_reread(); /* a rotated secret, or one that changed while waiting */
	pid_t pid = spawn_command(lp->how->cmd, lp->how->inherited);

	if (pid < 0) {
		lp->exit_now = 1;
		return;
	}
	if (lp->command == 0 && !lp->how->may_restart) {
		secrets_forget(lp->how->cmd->env);
		leave_directory();
	}
	lp->command = pid;
}

/* Acts first, then says so: each signal once however many paths ask for
 * it (none for a restart, whose stop has gone out), then a line per path. */
static void act_on_changes(const struct loop *lp, const struct supervisor_action *act)
{
	for (int sig = 1; sig <= SIGMASK_HIGHEST; sig++)
		if (act->signals & SIGMASK_BIT(sig))
			send_to(-lp->command, sig);
	for (size_t i = 0; i < lp->cfg->watch.count; i++)
		if (act->paths & (1U << i))
			log_notice("%s changed (--watch): %s", lp->how->watcher->list->paths[i].path,
				   act->signals != 0 ? signal_name(lp->cfg->watch.signals[i]) : "restart");
}

static void start_wait(struct loop *lp)
{
	if (waiters_start(&lp->waiters, lp->how->waits, lp->how->cmd->env) != 0)
		lp->exit_now = 1;
}

/* Acts first, then says so: a line can be dropped, a signal cannot wait. */
static void carry_out(struct loop *lp, const struct supervisor_input *in, const struct supervisor_action *act)
{
	if (act->todo & DO_END_CHECK)
		end_check(lp);
	if (act->todo & DO_FORWARD)
		deliver(lp, act);
	if (act->todo & DO_CHANGED)
		act_on_changes(lp, act);
	/* The one line that names what is still pending needs them pending:
	 * before the waiters end. */
	if (act->todo & DO_WAIT_EXPIRED)
		waiters_report_timed_out(&lp->waiters, lp->cfg->wait.timeout_ms);
	if (act->todo & DO_END_WAIT)
		waiters_end(&lp->waiters);
	if (act->todo & DO_SPAWN)
		spawn(lp);
	if (act->todo & DO_START_WAIT)
		start_wait(lp);
	if (act->todo & DO_START_CHECK)
		start_check(lp);
	if (act->todo & DO_VERDICT)
		report_verdict(lp, act);
	if (act->todo & DO_ANNOUNCE)
		announce_stop(lp, in->signal, act);
	if (act->todo & DO_TERMINATE_LEFTOVERS)
		terminate_leftovers(lp, act);
	if (act->todo & DO_NOTICE_REMAINING)
		notice_remaining(lp);
	if (act->todo & DO_KILL_ALL)
		kill_for(lp, act);
	if (act->todo & DO_WAIT_RESTART)
		verdict_publish(HEALTH_STARTING, ""); /* nothing runs; then the start period again */
	if (act->todo & (DO_WAIT_RESTART | DO_GIVE_UP))
		announce_restart(lp, act);
	if (act->todo & DO_WAIT_PROGRESS)
		waiters_report_pending(&lp->waiters);
}

/* The command cannot start (again), or the wait cannot go on: 125, and no
 * waiter is left behind. Returns 1, as feed. */
static int exit_failed(struct loop *lp, int *status)
{
	waiters_end(&lp->waiters);
	*status = STATUS_INIT_FAILED;
	lp->own = 1;
	return 1;
}

/* One event through the policy, and what it decides carried out. Returns 1
 * when gracefulinit is to exit with *status. */
static int feed(struct loop *lp, struct supervisor_input in, int *status)
{
	for (;;) {
		in.now_ms = monotonic_ms();
		struct supervisor_action act = supervisor_step(&lp->policy, &in);
		carry_out(lp, &in, &act);
		if (act.todo & DO_EXIT) {
			*status = act.status;
			lp->own = (lp->policy.cause == CAUSE_UNHEALTHY && act.status == SUPERVISOR_STATUS_UNHEALTHY) ||
				  (act.todo & DO_WAIT_EXPIRED);
			return 1;
		}
		if (lp->exit_now)
			return exit_failed(lp, status);
		if (!lp->has_next)
			return 0;
		/* What an action found (nothing it could list, a check that
		 * could not start) goes through the policy too. */
		lp->has_next = 0;
		in = lp->next;
	}
}

/* A SIGKILL gracefulinit did not send, while the memory cgroup counted an
 * OOM kill: the log says so, and so does the termination message. */
static void name_kernel_kill(struct loop *lp, pid_t pid)
{
	char comm[16] = "?", limit[48];

	if (supervisor_killed(&lp->policy) || !oom_killed_since(&lp->oom))
		return;
	(void)procs_name(pid, comm);
	oom_describe_limit(&lp->oom, limit, sizeof(limit));
	log_event("%d (%s) was killed by the kernel's OOM killer (%s)", (int)pid, comm, limit);
}

/* A child is looked at before it is reaped, while its pid is still
 * reserved: a check's whole group goes with it (what its shell left in the
 * background is no leftover of the command's), and a SIGKILL gracefulinit
 * did not send is named while its name can still be read. One more waitid
 * per reap, so only where there is a check or an OOM count. */
static void peek_at_exit(struct loop *lp, pid_t *last)
{
	siginfo_t info;

	if (lp->check == 0 && !oom_watching(&lp->oom))
		return;
	memset(&info, 0, sizeof(info));
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid <= 0 || info.si_pid == *last)
		return;
	*last = info.si_pid;
	if (info.si_pid == lp->check)
		send_to(-lp->check, SIGKILL);
	else if (info.si_code == CLD_KILLED && info.si_status == SIGKILL && oom_watching(&lp->oom))
		name_kernel_kill(lp, info.si_pid);
}

/* A reaped health check: its result, unless it was ended (its verdict is
 * moot then, and the policy already counted a timeout). Returns 1 and the
 * event when there is one to feed. */
static int check_reaped(struct loop *lp, int wstatus, struct supervisor_input *in)
{
	int moot = lp->check_moot;

	lp->check = 0;
	lp->check_moot = 0;
	if (moot)
		return 0;
	*in = (struct supervisor_input){ .event = check_passed(wstatus, lp->why, sizeof(lp->why)) ? EV_CHECK_PASSED
											       : EV_CHECK_FAILED };
	return 1;
}

/* SIGCHLD coalesces: one may stand for many exits, so reap until none is
 * left. What the round found is at most two events: a check's result, then
 * the command's exit or that no child is left. */
static int reap(struct loop *lp, int *status)
{
	struct supervisor_input in = { .event = EV_COMMAND_EXITED }, check = { 0 };
	pid_t peeked = 0;
	int checked = 0, ready = 0;

	for (;;) {
		int wstatus;
		peek_at_exit(lp, &peeked);
		pid_t pid = waitpid(-1, &wstatus, WNOHANG | WUNTRACED);
		if (pid > 0 && WIFSTOPPED(wstatus)) {
			/* As PID 1 there is no shell to hand the stop to. */
			if (pid == lp->command && !lp->whole_namespace)
				spawn_follow_stop(pid, WSTOPSIG(wstatus));
			continue;
		}
		if (pid > 0) {
			log_debug("reaped %d (status %d)", (int)pid, status_from_wait(wstatus));
			enum waiter_result waited = waiters_reaped(&lp->waiters, pid, wstatus);
			if (waited == WAITER_FAILED)
				return exit_failed(lp, status);
			ready |= waited == WAITER_ALL_READY;
			if (waited != WAITER_NOT_OURS)
				continue;
			if (pid == lp->check)
				checked |= check_reaped(lp, wstatus, &check);
			else if (pid == lp->command) {
				in.with_command = 1;
				in.status = status_from_wait(wstatus);
				in.killed_by = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
			}
			continue;
		}
		if (pid == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != ECHILD)
			log_error("waitpid: %m");
		in.event = EV_ALL_EXITED;
		break;
	}
	if (ready && feed(lp, (struct supervisor_input){ .event = EV_READY }, status))
		return 1;
	/* A check that ended with the command counts for nothing: the run is
	 * over (an app that crashed refuses the check too). */
	if (checked && !in.with_command && feed(lp, check, status))
		return 1;
	if (in.event == EV_COMMAND_EXITED && !in.with_command)
		return 0;
	return feed(lp, in, status);
}
/* A write to a stderr whose reader has gone raises SIGPIPE at gracefulinit
 * itself (the kernel sends it as from gracefulinit's own pid). It is no
 * message for the command: forwarding it killed apps mid-cleanup, and with
 * -v each forward logged, failed and raised another. */
static int raised_by_self(const siginfo_t *info)
{
	return info->si_code == SI_USER && info->si_pid == getpid();
}

static int on_signal(struct loop *lp, int sig, int *status)
{
	if (signal_policy(sig) == SIGNAL_RESERVED) {
		/* Blocked only so that it cannot end gracefulinit: to a program
		 * it would mean a thread cancellation or a timer it never set. */
		log_debug("received %s, a C library's internal signal; not forwarded", signal_name(sig));
		return 0;
	}
	log_debug("received %s", signal_name(sig));
	enum supervisor_event event = supervisor_is_stop_signal(&lp->policy, sig) ? EV_STOP_SIGNAL : EV_SIGNAL;
	return feed(lp, (struct supervisor_input){ .event = event, .signal = sig }, status);
}

/* A change is an event only when a path changed: an event in a watched
 * directory about another entry is none. */
static int on_change(struct loop *lp, int *status)
{
	unsigned paths = watcher_changes(lp->how->watcher);

	return paths != 0 && feed(lp, (struct supervisor_input){ .event = EV_CHANGED, .paths = paths }, status);
}

/* Every deadline that has passed, in the order supervisor_due gives them. */
static int on_deadline(struct loop *lp, int *status)
{
	int event;

	while ((event = supervisor_due(&lp->policy, monotonic_ms())) >= 0) {
		if (event == EV_CHECK_OVERDUE) {
			char timeout[32];
			duration_format(lp->cfg->watchdog.timeout_ms, timeout, sizeof(timeout));
			format(lp->why, sizeof(lp->why), "timed out after %s (--health-timeout)", timeout);
		}
		if (feed(lp, (struct supervisor_input){ .event = (enum supervisor_event)event }, status))
			return 1;
	}
	return 0;
}

int supervise(const struct supervised *how, int *own)
{
	struct loop lp = { .whole_namespace = getpid() == 1, .cfg = how->cfg, .how = how };
	int status = 0, done = 0;

	supervisor_init(&lp.policy, how->cfg, monotonic_ms());
	oom_watch_init(&lp.oom);
	/* The first start (or wait) comes before any signal: one queued since
	 * start-up finds the command to forward it to, as it always has. */
	done = on_deadline(&lp, &status);
	while (!done) {
		siginfo_t info;
		int sig = wait_signal(how->wait_set, supervisor_next_deadline(&lp.policy), &info);
		if (sig == 0)
			done = on_deadline(&lp, &status);
		else if (sig == SIGCHLD)
			done = reap(&lp, &status);
		else if (watcher_woke(how->watcher, sig, &info))
			done = on_change(&lp, &status);
		else if (!raised_by_self(&info))
			done = on_signal(&lp, sig, &status);
	}
	*own = lp.own;
	return status;
}
