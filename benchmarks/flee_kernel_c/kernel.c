/* Flee's movement kernel (caravana.behaviours.flee_kernels.move_people) written in C, for an
 * experiment: does the same work, with the same PCG64 words drawn in the same order, run faster
 * compiled by a C compiler with the arrays handed over as one struct of pointers than as Numba
 * compiles it (benchmarks/flee_kernel_c/ab.py measures it, with identical counts checked)?
 *
 * Every step mirrors flee_kernels.py line for line: read that file for the why of each rule.
 * Floating point: build with -ffp-contract=off (no fused multiply-add, which Numba's code does not
 * use and which rounds differently) and without -ffast-math; log1p and exp are the C library's,
 * as Numba calls them. Integer stores into narrower fields truncate as NumPy's do.
 */
#include <math.h>
#include <stdint.h>

#define RESTING 0
#define TRAVELLING 1
#define NEVER (1 << 30)
#define STUCK 2147483647
#define MAX_AHEAD 366
#define PREFETCH_AHEAD 16
#define NEW_NIGHT (-2) /* engine.counting.NEW */

/* The kernel's arrays and numbers, in the order of move_people's arguments (ab.py fills it). */
typedef struct {
    int64_t day;
    int32_t *loc;
    int32_t *link;
    double *dist;
    int8_t *status;
    int32_t *route;
    int8_t *route_pos;
    int32_t *wake;
    int32_t *wake_at;
    uint8_t *hops;
    float *recent;
    int32_t *recent_day;
    uint8_t *bounce;
    double *movechance;
    uint8_t *town;
    int64_t *origin_ptr;
    double *cum; /* [rules, cum_stride] */
    int32_t *route_end;
    int64_t *edge_ptr;
    int32_t *route_edges;
    int16_t *route_n_edges;
    int32_t *link_src;
    int32_t *link_dst;
    double *link_km;
    double *link_speed;
    double *link_walk_probability;
    uint8_t *link_open;
    uint8_t *camp;
    double *capacity;
    double buffer;
    int64_t *present;
    int64_t *tally; /* [places, tally_stride] */
    double max_move_speed;
    double max_walk_speed;
    int64_t start_on_foot;
    int64_t avoid_short_stints;
    int32_t *group;
    int64_t individuals_only;
    int8_t *person_rule;
    int64_t n_person_rule;
    uint64_t *stream; /* PCG64 state: state hi, lo, increment hi, lo */
    int32_t *travellers;
    uint8_t *visit;
    int64_t count_flows;
    int32_t *night;
    uint8_t *staying;
    int64_t *arrivals;
    int64_t *departures;
    uint8_t *stuck;
    int64_t lazy_links;
    int64_t n; /* people */
    int64_t cum_stride;
    int64_t tally_stride;
    /* NumPy's ziggurat tables for the exponential (as Numba keeps them) and 2**-d for d < 200 */
    const double *fe_double;
    const uint64_t *ke_double;
    const double *we_double;
    double ziggurat_exp_r;
    const double *halvings;
} Kernel;

/* ------------------------------------------------------------------ PCG64 (engine/pcg.py) */
typedef unsigned __int128 u128;
#define PCG_MULT ((((u128)2549297995355413924ULL) << 64) | (u128)4865540595714422341ULL)

typedef struct {
    u128 state, inc;
} Pcg;

static inline uint64_t next_uint64(Pcg *g) {
    g->state = g->state * PCG_MULT + g->inc;
    uint64_t hi = (uint64_t)(g->state >> 64), lo = (uint64_t)g->state;
    uint64_t x = hi ^ lo;
    unsigned rot = (unsigned)(hi >> 58);
    return (x >> rot) | (x << ((64 - rot) & 63));
}

static inline double next_double(Pcg *g) {
    return (double)(next_uint64(g) >> 11) * (1.0 / 9007199254740992.0);
}

static double standard_exponential(Pcg *g, const Kernel *K) {
    for (;;) {
        uint64_t ri = next_uint64(g) >> 3;
        unsigned idx = (unsigned)(ri & 0xFF);
        ri >>= 8;
        double x = (double)ri * K->we_double[idx];
        if (ri < K->ke_double[idx]) return x;
        if (idx == 0) return K->ziggurat_exp_r - log1p(-next_double(g));
        double a = K->fe_double[idx - 1] - K->fe_double[idx];
        double u = next_double(g);
        if (a * u + K->fe_double[idx] < exp(-x)) return x;
    }
}

static int64_t geometric(Pcg *g, double p, const Kernel *K) {
    if (p >= 0.333333333333333333333333) {
        int64_t x = 1;
        double total = p, prod = p, q = 1.0 - p;
        double u = next_double(g);
        while (u > total) {
            prod *= q;
            total += prod;
            x += 1;
        }
        return x;
    }
    return (int64_t)ceil(-standard_exponential(g, K) / log1p(-p));
}

/* ------------------------------------------------------------------ small helpers */
static inline double capacity_multiplier(int64_t present, double capacity, double buffer) {
    if (!(capacity >= 1.0)) return 1.0;
    double here = (double)present;
    if (here <= buffer * capacity) return 1.0;
    if (here >= capacity) return 0.0;
    return 1.0 - (here - buffer * capacity) / (capacity * (1.0 - buffer));
}

static inline double flush_tiny(double index) { return index > 1e-30 ? index : 0.0; }

static inline double index_after(double previous, double moved, double max_move_speed) {
    return flush_tiny((previous + moved / max_move_speed) / 2.0);
}

static inline double recent_travel_as_of(int64_t day, float index, int64_t index_day, const double *halvings) {
    int64_t idle_days = day - index_day;
    if (idle_days >= 200) return 0.0;
    if (idle_days >= 0) return flush_tiny((double)index * halvings[idle_days]);
    return flush_tiny(ldexp((double)index, (int)-idle_days));
}

static inline double speed_on(double link_speed, uint8_t hops, int64_t start_on_foot, double max_walk_speed) {
    return (start_on_foot && hops == 0) ? max_walk_speed : link_speed;
}

/* ------------------------------------------------------------------ the daily scan */
static int64_t candidates(const Kernel *K) {
    const int64_t n = K->n;
    const int32_t today = (int32_t)K->day;
    const int8_t *status = K->status;
    const int32_t *wake = K->wake, *wake_at = K->wake_at, *loc = K->loc;
    uint8_t *visit = K->visit;
    int32_t *travellers = K->travellers;
    if (K->lazy_links) {
        for (int64_t i = 0; i < n; i++) {
            int8_t s = status[i];
            visit[i] = (uint8_t)(((s == TRAVELLING) | (s == RESTING)) & (wake[i] <= today));
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            int8_t s = status[i];
            visit[i] = (uint8_t)((s == TRAVELLING) | ((s == RESTING) & ((wake[i] <= today) | (wake_at[i] != loc[i]))));
        }
    }
    if (K->individuals_only) {
        const int32_t *group = K->group;
        for (int64_t i = 0; i < n; i++) visit[i] &= (uint8_t)(group[i] < 0);
    }
    int64_t k = 0;
    const int64_t whole = n - n % 8;
    for (int64_t w = 0; w < whole; w += 8) {
        uint64_t eight;
        __builtin_memcpy(&eight, visit + w, 8);
        if (eight != 0) {
            for (int64_t i = w; i < w + 8; i++) {
                travellers[k] = (int32_t)i;
                k += visit[i];
            }
        }
    }
    for (int64_t i = whole; i < n; i++) {
        travellers[k] = (int32_t)i;
        k += visit[i];
    }
    return k;
}


/* Every array of the struct as a local restrict pointer: the compiler may keep them in registers
 * (or spill them once) rather than reload them from the struct after each byte store, which in C
 * may alias anything. */
#define UNPACK(K)                                                                                       \
    int32_t *restrict loc = (K)->loc, *restrict link = (K)->link, *restrict route = (K)->route;       \
    double *restrict dist = (K)->dist;                                                                 \
    int8_t *restrict status = (K)->status, *restrict route_pos = (K)->route_pos;                       \
    int32_t *restrict wake = (K)->wake, *restrict wake_at = (K)->wake_at;                              \
    uint8_t *restrict hops = (K)->hops, *restrict bounce = (K)->bounce;                                \
    float *restrict recent = (K)->recent;                                                              \
    int32_t *restrict recent_day = (K)->recent_day;                                                    \
    const double *restrict movechance = (K)->movechance;                                               \
    const uint8_t *restrict town = (K)->town;                                                          \
    const int64_t *restrict origin_ptr = (K)->origin_ptr;                                              \
    const double *restrict cum = (K)->cum;                                                             \
    const int32_t *restrict route_end = (K)->route_end;                                                \
    const int64_t *restrict edge_ptr = (K)->edge_ptr;                                                  \
    const int32_t *restrict route_edges = (K)->route_edges;                                            \
    const int16_t *restrict route_n_edges = (K)->route_n_edges;                                        \
    const int32_t *restrict link_src = (K)->link_src, *restrict link_dst = (K)->link_dst;              \
    const double *restrict link_km = (K)->link_km, *restrict link_speed = (K)->link_speed;             \
    const double *restrict link_walk_probability = (K)->link_walk_probability;                         \
    const uint8_t *restrict link_open = (K)->link_open, *restrict camp = (K)->camp;                    \
    const double *restrict capacity = (K)->capacity;                                                   \
    int64_t *restrict present = (K)->present, *restrict tally = (K)->tally;                            \
    const int8_t *restrict person_rule = (K)->person_rule;                                             \
    int32_t *restrict travellers = (K)->travellers;                                                    \
    int32_t *restrict night = (K)->night;                                                              \
    const uint8_t *restrict staying = (K)->staying, *restrict stuck = (K)->stuck;                      \
    int64_t *restrict arrivals = (K)->arrivals, *restrict departures = (K)->departures;                \
    const int64_t day = (K)->day, tally_stride = (K)->tally_stride, cum_stride = (K)->cum_stride;      \
    const int64_t n_person_rule = (K)->n_person_rule, start_on_foot = (K)->start_on_foot;              \
    const int64_t lazy_links = (K)->lazy_links, count_flows = (K)->count_flows;                        \
    const int64_t avoid_short_stints = (K)->avoid_short_stints;                                        \
    const double buffer = (K)->buffer, max_move_speed = (K)->max_move_speed;                           \
    const double max_walk_speed = (K)->max_walk_speed;                                                 \
    const double *restrict halvings = (K)->halvings;                                                   \
    (void)loc; (void)link; (void)route; (void)dist; (void)status; (void)route_pos; (void)wake;          \
    (void)wake_at; (void)hops; (void)bounce; (void)recent; (void)recent_day; (void)movechance;          \
    (void)town; (void)night; (void)staying; (void)stuck; (void)arrivals; (void)departures;              \
    (void)halvings; (void)lazy_links; (void)count_flows; (void)avoid_short_stints; (void)max_move_speed; \
    (void)max_walk_speed

/* ------------------------------------------------------------------ setting off (take_next_step) */
/* Tries to put person i, resting at ``place``, on the next link of their route (drawing one if
 * none). Returns whether they are travelling now. Shared by both passes, inlined into each. */

/* Setting off (take_next_step): puts person i, resting at ``place``, on the next link of their route
 * (drawing one if none); sets ``went`` to whether they are travelling now. A macro so that it
 * reads the pass's local pointers. */
#define SET_OFF(i, place, went)                                                                         \
    do {                                                                                                \
        const uint64_t at_ = (uint64_t)(place);                                                         \
        int64_t r = route[i];                                                                           \
        went = 0;                                                                                       \
        if (r < 0) {                                                                                    \
            int64_t a = origin_ptr[at_], b = origin_ptr[at_ + 1];                                       \
            const double *row = cum + (n_person_rule > 0 ? (uint64_t)person_rule[i] : 0) * (uint64_t)cum_stride; \
            if (a < b && row[b - 1] > 0.0) {                                                            \
                double x = next_double(g) * row[b - 1];                                                 \
                r = a;                                                                                  \
                for (int64_t j = a; j < b - 1; j++) r += !(row[j] > x);                                 \
                route[i] = (int32_t)r;                                                                  \
                route_pos[i] = 0;                                                                       \
            }                                                                                           \
        }                                                                                               \
        if (r >= 0) {                                                                                   \
            const uint64_t ur = (uint64_t)r;                                                            \
            int64_t p = route_pos[i];                                                                   \
            const uint64_t e = (uint64_t)route_edges[(uint64_t)(edge_ptr[ur] + p)];                     \
            const uint64_t dest = (uint64_t)route_end[ur];                                              \
            if (link_src[e] != (place) || !link_open[e]) {                                              \
                route[i] = -1;                                                                          \
            } else if (camp[dest] && capacity_multiplier(present[dest], capacity[dest], buffer) < 0.5) { \
                route[i] = -1;                                                                          \
            } else {                                                                                    \
                p += 1;                                                                                 \
                if (p >= route_n_edges[ur]) route[i] = -1;                                              \
                else route_pos[i] = (int8_t)p;                                                          \
                present[at_] -= 1;                                                                      \
                tally[at_ * tally_stride + RESTING] -= 1;                                               \
                tally[at_ * tally_stride + TRAVELLING] += 1;                                            \
                link[i] = (int32_t)e;                                                                   \
                dist[i] = 0.0;                                                                          \
                status[i] = TRAVELLING;                                                                 \
                went = 1;                                                                               \
            }                                                                                           \
        }                                                                                               \
    } while (0)

/* ------------------------------------------------------------------ the departure pass (Person.evolve) */
static int64_t departure_pass(const Kernel *K, Pcg *g, int64_t n_listed) {
    UNPACK(K);
    int64_t n_travellers = 0;
    for (int64_t k = 0; k < n_listed; k++) {
        const int32_t code = travellers[k];
        const uint64_t i = (uint64_t)(uint32_t)code;
        if (status[i] == TRAVELLING) {
            travellers[n_travellers++] = ~code;
            continue;
        }
        const int32_t place = loc[i];
        if (wake[i] < day || wake_at[i] != place) {
            const double chance = movechance[(uint64_t)place];
            int64_t wait;
            if (chance >= 1.0) wait = 0;
            else if (chance <= 0.0) wait = NEVER;
            else {
                wait = geometric(g, chance, K) - 1;
                if (wait > NEVER) wait = NEVER;
            }
            wake[i] = (int32_t)(day + wait);
            wake_at[i] = place;
        }
        if (wake[i] > day) continue;
        wake[i] = -1;
        if (place < 0) continue; /* (never: mirrors the Python's setting_off_from >= 0) */
        int went;
        SET_OFF(i, place, went);
        if (went) {
            travellers[n_travellers++] = (int32_t)i;
        } else if (stuck[(uint64_t)place] && route[i] < 0) {
            wake[i] = STUCK;
        }
    }
    return n_travellers;
}

/* ------------------------------------------------------------------ the travel pass (Person.finish_travel) */
static int64_t travel_pass(const Kernel *K, Pcg *g, int64_t n_listed) {
    UNPACK(K);
    int64_t n_changed = 0;
    for (int64_t k = 0; k < n_listed; k++) {
        if (k + PREFETCH_AHEAD < n_listed) {
            const int64_t listed = travellers[k + PREFETCH_AHEAD];
            const uint64_t j = (uint64_t)(listed ^ (listed >> 63));
            __builtin_prefetch(status + j, 1, 3);
            __builtin_prefetch(loc + j, 1, 3);
            __builtin_prefetch(link + j, 1, 3);
            __builtin_prefetch(dist + j, 1, 3);
            __builtin_prefetch(route + j, 1, 3);
            __builtin_prefetch(route_pos + j, 1, 3);
            __builtin_prefetch(recent + j, 1, 3);
            __builtin_prefetch(recent_day + j, 1, 3);
            __builtin_prefetch(hops + j, 1, 3);
            __builtin_prefetch(bounce + j, 1, 3);
            if (count_flows) __builtin_prefetch(night + j, 1, 3);
        }
        const int64_t code = travellers[k];
        int changed = code >= 0;
        const uint64_t i = (uint64_t)(code ^ (code >> 63));
        const int64_t behind = day - 1 - (int64_t)recent_day[i];
        if (lazy_links & (behind > 0) & (code < 0)) {
            const double speed = speed_on(link_speed[(uint64_t)link[i]], hops[i], start_on_foot, max_walk_speed);
            float index = recent[i];
            for (int64_t d = day - behind; d < day; d++) {
                dist[i] += speed;
                index = (float)index_after(recent_travel_as_of(d - 1, index, d - 1, halvings), speed, max_move_speed);
            }
            recent[i] = index;
            recent_day[i] = (int32_t)(day - 1);
        }
        const double previous = recent_travel_as_of(day - 1, recent[i], recent_day[i], halvings);
        double moved = 0.0;
        int32_t setting_off_from = -1;
        for (;;) {
            if (setting_off_from >= 0) {
                const int32_t place = setting_off_from;
                setting_off_from = -1;
                int went;
                SET_OFF(i, place, went);
                (void)went;
            }
            if (status[i] != TRAVELLING) break;
            const uint64_t e = (uint64_t)link[i];
            double speed = speed_on(link_speed[e], hops[i], start_on_foot, max_walk_speed);
            const double walk = link_walk_probability[e];
            if (walk > 0.0 && next_double(g) < walk) speed = max_walk_speed;
            double covered = dist[i] + speed;
            moved += speed;
            const double km = link_km[e];
            if (covered <= km) {
                dist[i] = covered;
                int64_t ahead = 0;
                if (lazy_links && !(walk > 0.0)) {
                    while (ahead < MAX_AHEAD && covered + speed <= km) {
                        covered += speed;
                        ahead += 1;
                    }
                }
                wake[i] = (int32_t)(day + 1 + ahead);
                break;
            }
            if (hops[i] < 255) hops[i] += 1;
            moved += km - covered;
            const int32_t arrive_at = bounce[i] ? link_src[e] : link_dst[e];
            const uint64_t at = (uint64_t)arrive_at;
            bounce[i] = 0;
            changed = 1;
            tally[(uint64_t)loc[i] * tally_stride + TRAVELLING] -= 1;
            tally[at * tally_stride + RESTING] += 1;
            loc[i] = arrive_at;
            link[i] = -1;
            dist[i] = 0.0;
            status[i] = RESTING;
            present[at] += 1;
            if (arrive_at == link_src[e] || moved >= speed) break;
            const double chance = movechance[at];
            int go = chance >= 1.0;
            if (avoid_short_stints) go |= town[at] & ((previous + moved / max_move_speed) / 2.0 < 0.5);
            if (go || next_double(g) < chance) setting_off_from = arrive_at;
            else break;
        }
        recent[i] = (float)index_after(previous, moved, max_move_speed);
        recent_day[i] = (int32_t)day;
        if (changed) {
            travellers[n_changed++] = (int32_t)i;
            if (count_flows) {
                const int32_t tonight = staying[(uint64_t)(int64_t)status[i]] ? loc[i] : -1;
                const int32_t before = night[i];
                const int32_t left = before >= 0 ? before : -1;
                const int32_t came = (tonight >= 0 && before != NEW_NIGHT) ? tonight : -1;
                const int64_t moves = tonight != before;
                departures[(uint64_t)(left > 0 ? left : 0)] += moves & (left >= 0);
                arrivals[(uint64_t)(came > 0 ? came : 0)] += moves & (came >= 0);
                night[i] = tonight;
            }
        }
    }
    return n_changed;
}

/* ------------------------------------------------------------------ one day */
int64_t move_people(const Kernel *K) {
    Pcg g;
    g.state = ((u128)K->stream[0] << 64) | K->stream[1];
    g.inc = ((u128)K->stream[2] << 64) | K->stream[3];
    const int64_t n_candidates = candidates(K);
    const int64_t n_travellers = departure_pass(K, &g, n_candidates);
    const int64_t n_changed = travel_pass(K, &g, n_travellers);
    K->stream[0] = (uint64_t)(g.state >> 64);
    K->stream[1] = (uint64_t)g.state;
    return n_changed;
}

/* The struct's size, for the caller's check that both sides agree on its layout. */
int64_t kernel_struct_size(void) { return (int64_t)sizeof(Kernel); }
