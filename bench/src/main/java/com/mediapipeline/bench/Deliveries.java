package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The webhook events of some uploads as the receiver saw them: each event's delay (its first arrival),
 * and whether every event arrived, once, in its upload's order.
 *
 * @param delays     per event, its first arrival minus its {@code timestamp}
 * @param expected   the events the uploads had: each upload's are numbered 1 to its deletion's sequence
 * @param received   the distinct events that arrived (upload and sequence)
 * @param duplicates arrivals of a {@code webhook-id} that had arrived before
 * @param outOfOrder first arrivals of an event numbered below one of its upload that had arrived before
 * @param reissued   events that arrived under more than one {@code webhook-id} (a repeat must keep its id)
 */
record Deliveries(Latencies delays, long expected, long received, long duplicates, long outOfOrder, long reissued) {

    static Deliveries of(Collection<WebhookReceiver.Arrival> arrivals, Collection<String> uploads) {
        Set<String> wanted = new HashSet<>(uploads);
        List<Long> delays = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> events = new HashSet<>();
        Map<String, Long> highest = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        long arrived = 0;
        long outOfOrder = 0;
        for (WebhookReceiver.Arrival arrival : arrivals) {
            if (!wanted.contains(arrival.upload())) {
                continue;
            }
            arrived++;
            if (!ids.add(arrival.webhookId())) {
                continue;
            }
            events.add(arrival.upload() + "/" + arrival.sequence());
            delays.add(arrival.delayNanos());
            if (arrival.sequence() < highest.getOrDefault(arrival.upload(), 0L)) {
                outOfOrder++;
            }
            highest.merge(arrival.upload(), arrival.sequence(), Math::max);
            if (WebhookEvent.DELETED.equals(arrival.type())) {
                last.put(arrival.upload(), arrival.sequence());
            }
        }
        long expected = 0;
        for (String upload : wanted) {
            // the deletion is every upload's last event: one that did not arrive misses at least that
            expected += last.getOrDefault(upload, highest.getOrDefault(upload, 0L) + 1);
        }
        return new Deliveries(new Latencies(delays, 0), expected, events.size(), arrived - ids.size(), outOfOrder,
                ids.size() - events.size());
    }

    static Deliveries pooled(List<Deliveries> runs) {
        return new Deliveries(Latencies.pooled(runs.stream().map(Deliveries::delays).toList()),
                runs.stream().mapToLong(Deliveries::expected).sum(), runs.stream().mapToLong(Deliveries::received).sum(),
                runs.stream().mapToLong(Deliveries::duplicates).sum(), runs.stream().mapToLong(Deliveries::outOfOrder).sum(),
                runs.stream().mapToLong(Deliveries::reissued).sum());
    }

    /** "600 of 600 events delivered, 0 duplicates, 0 out of order" (and any event reissued under a second id). */
    String counts() {
        return String.format("%d of %d events delivered, %d duplicates, %d out of order%s", received, expected, duplicates, outOfOrder,
                reissued == 0 ? "" : String.format(", %d under a second webhook-id", reissued));
    }
}
