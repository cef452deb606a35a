#include "restart.h"

#include <string.h>

#include "duration.h"
#include "number.h"

void restarts_init(struct restarts *r, long long now_ms)
{
	memset(r, 0, sizeof(*r));
	r->run_started_ms = now_ms;
}

/* Docker's rule: on-failure for a nonzero status only, always for any. */
int restart_wanted(const struct restart_config *cfg, int status)
{
	return cfg->policy == RESTART_ALWAYS || (cfg->policy == RESTART_ON_FAILURE && status != 0);
}

/* The ring holds the last limit restarts; the oldest of them must have left
 * the window for one more to fit. */
int restart_within_limit(const struct restart_config *cfg, const struct restarts *r, long long now_ms)
{
	if (cfg->limit == 0 || r->recorded < cfg->limit)
		return 1;
	return r->recent[r->next] <= now_ms - cfg->window_ms;
}

long long restart_record(const struct restart_config *cfg, struct restarts *r, long long now_ms)
{
	if (cfg->limit > 0) {
		r->recent[r->next] = now_ms;
		r->next = (r->next + 1) % cfg->limit;
	}
	r->count++;
	r->recorded++;
	/* A run that lasted was not part of a crash loop: start over. */
	if (r->delay_ms == 0 || restart_after_steady_run(r, now_ms))
		r->delay_ms = RESTART_DELAY_FIRST_MS;
	else if ((r->delay_ms *= 2) > RESTART_DELAY_MAX_MS)
		r->delay_ms = RESTART_DELAY_MAX_MS;
	return r->delay_ms;
}

int restart_after_steady_run(const struct restarts *r, long long now_ms)
{
	return now_ms - r->run_started_ms >= RESTART_STEADY_RUN_MS;
}

long long restart_unrecorded(struct restarts *r)
{
	r->count++;
	return RESTART_DELAY_FIRST_MS;
}

void restart_run_started(struct restarts *r, long long now_ms) { r->run_started_ms = now_ms; }

int restart_limit_parse(struct restart_config *cfg, const char *text)
{
	const char *slash = strchr(text, '/');
	unsigned long long n;
	long long window;

	if (slash == NULL || number_parse(text, (size_t)(slash - text), RESTART_LIMIT_MAX, &n) != 0 || n == 0 ||
	    duration_parse(slash + 1, 0, &window) != 0 || window == 0)
		return -1;
	cfg->limit = (int)n;
	cfg->window_ms = window;
	return 0;
}
