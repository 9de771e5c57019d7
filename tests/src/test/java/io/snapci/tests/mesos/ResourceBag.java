package io.snapci.tests.mesos;

import java.math.BigDecimal;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * A multiset of Mesos resources, with the arithmetic the master needs: add, subtract, "contains", and the text the
 * master prints in its messages.
 *
 * <p>Two resources are the same kind only when name, allocation role and reservation role all match, as in the
 * master's {@code Resources::contains}: a task asking for {@code cpus(allocated: other)} is not covered by an offer of
 * {@code cpus(allocated: snapci)}, and unreserved resources do not cover reserved ones. {@link #toString()} follows
 * the shape of mesos 1.11.0 {@code stringify(Resources)} ({@code src/common/resources.cpp}):
 * {@code cpus(allocated: snapci):2; ports(allocated: snapci):[31000-31001]}. Scalars compare at the master's fixed
 * point of three decimals. Ranges are modelled as bit sets, enough for ports (0..65535).
 */
final class ResourceBag {

    /** What makes two resources interchangeable. {@code allocationRole} and {@code reservationRole} may be null. */
    record Kind(String name, String allocationRole, String reservationRole) {
        Kind allocatedTo(String role) {
            return new Kind(name, role, reservationRole);
        }

        Kind unallocated() {
            return new Kind(name, null, reservationRole);
        }

        @Override
        public String toString() {
            return name + (allocationRole == null ? "" : "(allocated: " + allocationRole + ")")
                    + (reservationRole == null ? "" : "(reservations: [(STATIC," + reservationRole + ")])");
        }
    }

    /** A scalar amount or a set of range values; exactly one is used. */
    private static final class Amount {
        long milli; // scalar in thousandths, the master's fixed point
        final BitSet values;

        Amount(long milli, BitSet values) {
            this.milli = milli;
            this.values = values;
        }

        boolean isRanges() {
            return values != null;
        }

        boolean isEmpty() {
            return isRanges() ? values.isEmpty() : milli <= 0;
        }

        Amount copy() {
            return new Amount(milli, values == null ? null : (BitSet) values.clone());
        }
    }

    private final Map<Kind, Amount> amounts = new LinkedHashMap<>();

    static ResourceBag empty() {
        return new ResourceBag();
    }

    /** The resources as they are written in a TaskInfo, ExecutorInfo or Offer. */
    static ResourceBag of(List<Resource> resources) {
        ResourceBag bag = new ResourceBag();
        for (Resource r : resources) {
            bag.add(kindOf(r), r);
        }
        return bag;
    }

    static Kind kindOf(Resource r) {
        String allocation = r.hasAllocationInfo() && r.getAllocationInfo().hasRole()
                ? r.getAllocationInfo().getRole() : null;
        return new Kind(r.getName(), allocation, reservationRole(r));
    }

    /** The role a resource is reserved for, or null when unreserved ("*"). Legacy {@code role} is honoured too. */
    static String reservationRole(Resource r) {
        if (r.getReservationsCount() > 0) {
            return r.getReservations(r.getReservationsCount() - 1).getRole();
        }
        if (r.hasRole() && !r.getRole().equals("*")) {
            return r.getRole();
        }
        return null;
    }

    ResourceBag addScalar(Kind kind, double value) {
        amounts.computeIfAbsent(kind, k -> new Amount(0, null)).milli += Math.round(value * 1000);
        return this;
    }

    ResourceBag addRange(Kind kind, long begin, long end) {
        Amount a = amounts.computeIfAbsent(kind, k -> new Amount(0, new BitSet()));
        a.values.set(Math.toIntExact(begin), Math.toIntExact(end) + 1);
        return this;
    }

    private void add(Kind kind, Resource r) {
        if (r.getType() == Value.Type.SCALAR) {
            addScalar(kind, r.getScalar().getValue());
        } else if (r.getType() == Value.Type.RANGES) {
            for (Value.Range range : r.getRanges().getRangeList()) {
                addRange(kind, range.getBegin(), range.getEnd());
            }
        }
        // SET resources are not used by snapci and are not modelled.
    }

    boolean isEmpty() {
        return amounts.values().stream().allMatch(Amount::isEmpty);
    }

    ResourceBag copy() {
        ResourceBag c = new ResourceBag();
        amounts.forEach((k, v) -> c.amounts.put(k, v.copy()));
        return c;
    }

    ResourceBag plus(ResourceBag other) {
        ResourceBag sum = copy();
        other.amounts.forEach((k, v) -> {
            Amount mine = sum.amounts.computeIfAbsent(k, x -> new Amount(0, v.isRanges() ? new BitSet() : null));
            if (v.isRanges()) {
                mine.values.or(v.values);
            } else {
                mine.milli += v.milli;
            }
        });
        return sum;
    }

    /** What is left after taking {@code other} away (never negative). */
    ResourceBag minus(ResourceBag other) {
        ResourceBag left = copy();
        other.amounts.forEach((k, v) -> {
            Amount mine = left.amounts.get(k);
            if (mine == null) {
                return;
            }
            if (v.isRanges() && mine.isRanges()) {
                mine.values.andNot(v.values);
            } else if (!v.isRanges() && !mine.isRanges()) {
                mine.milli = Math.max(0, mine.milli - v.milli);
            }
        });
        left.amounts.values().removeIf(Amount::isEmpty);
        return left;
    }

    /** Mesos {@code Resources::contains}: every kind of {@code other} is present here in at least that amount. */
    boolean contains(ResourceBag other) {
        for (Map.Entry<Kind, Amount> e : other.amounts.entrySet()) {
            Amount need = e.getValue();
            if (need.isEmpty()) {
                continue;
            }
            Amount have = amounts.get(e.getKey());
            if (have == null || have.isRanges() != need.isRanges()) {
                return false;
            }
            if (need.isRanges()) {
                BitSet missing = (BitSet) need.values.clone();
                missing.andNot(have.values);
                if (!missing.isEmpty()) {
                    return false;
                }
            } else if (have.milli < need.milli) {
                return false;
            }
        }
        return true;
    }

    /** The scalar amount of the named resource across all kinds; 0 when absent. */
    double scalar(String name) {
        return amounts.entrySet().stream().filter(e -> e.getKey().name().equals(name) && !e.getValue().isRanges())
                .mapToLong(e -> e.getValue().milli).sum() / 1000.0;
    }

    boolean has(String name) {
        return amounts.entrySet().stream().anyMatch(e -> e.getKey().name().equals(name) && !e.getValue().isEmpty());
    }

    /** The same amounts re-labelled: allocated to {@code role} (null: unallocated). */
    ResourceBag allocatedTo(String role) {
        ResourceBag c = new ResourceBag();
        amounts.forEach((k, v) -> {
            Kind kind = role == null ? k.unallocated() : k.allocatedTo(role);
            c.amounts.merge(kind, v.copy(), (a, b) -> {
                if (a.isRanges()) {
                    a.values.or(b.values);
                } else {
                    a.milli += b.milli;
                }
                return a;
            });
        });
        return c;
    }

    /** As protobuf resources, e.g. for an Offer. */
    List<Resource> toProtos() {
        return amounts.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(e -> {
            Kind k = e.getKey();
            Resource.Builder r = Resource.newBuilder().setName(k.name());
            if (k.allocationRole() != null) {
                r.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(k.allocationRole()));
            }
            if (k.reservationRole() != null) {
                r.addReservations(Resource.ReservationInfo.newBuilder()
                        .setType(Resource.ReservationInfo.Type.STATIC).setRole(k.reservationRole()));
            }
            Amount a = e.getValue();
            if (a.isRanges()) {
                Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
                forEachRun(a.values, (b, en) -> ranges.addRange(Value.Range.newBuilder().setBegin(b).setEnd(en)));
                r.setType(Value.Type.RANGES).setRanges(ranges);
            } else {
                r.setType(Value.Type.SCALAR).setScalar(Value.Scalar.newBuilder().setValue(a.milli / 1000.0));
            }
            return r.build();
        }).toList();
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner("; ");
        amounts.forEach((k, a) -> {
            if (a.isEmpty()) {
                return;
            }
            if (a.isRanges()) {
                StringJoiner runs = new StringJoiner(", ", "[", "]");
                forEachRun(a.values, (b, e) -> runs.add(b + "-" + e));
                text.add(k + ":" + runs);
            } else {
                text.add(k + ":" + formatScalar(a.milli / 1000.0));
            }
        });
        return text.toString();
    }

    /** Like a C++ stream prints a double: 4096, 0.5, 1.25. */
    static String formatScalar(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private interface RunConsumer {
        void accept(long begin, long end);
    }

    private static void forEachRun(BitSet bits, RunConsumer consumer) {
        int begin = bits.nextSetBit(0);
        while (begin >= 0) {
            int end = bits.nextClearBit(begin) - 1;
            consumer.accept(begin, end);
            begin = bits.nextSetBit(end + 1);
        }
    }
}
