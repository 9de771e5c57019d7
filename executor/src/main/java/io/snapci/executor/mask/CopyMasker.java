package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import io.snapci.model.ExecutionListener;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRule;
import io.snapci.model.mask.MaskRules;
import io.snapci.model.mask.RowFilter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Masks a copy through CQL: reads each masked table once (token slices read in parallel, each paged), writes every row's masked values back with
 * bounded concurrency; a rule on a key column rewrites the row under its new key (insert the new row, delete the
 * old); a row filter deletes the matching rows. Values always travel as bound values of prepared statements, so no
 * original lands in the prepared-statement cache's query text. Purging the originals from the files is
 * {@link CopyPurge}'s job.
 */
public final class CopyMasker {

    /** Writes in flight at once: enough to keep one node busy, few enough not to time it out. */
    static final int IN_FLIGHT = 64;
    private static final int PAGE_SIZE = 1000;
    private static final long PROGRESS_EVERY = 10_000;
    /** Token slices a table is read in, and how many are read at once (docs/benchmarks.md, masking). */
    static final int SLICES = 64;
    static final int READERS = 4;

    private final CqlSession session;
    private final ValueMasker masker;
    private final ExecutionListener listener;
    private final BooleanSupplier cancelled;

    public CopyMasker(CqlSession session, MaskHash hash, ExecutionListener listener, BooleanSupplier cancelled) {
        this.session = session;
        this.masker = new ValueMasker(hash);
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** Masks every table the rules name; returns the rows written. Throws {@link MaskingException} on any failure. */
    public long mask(MaskRules rules) {
        long total = 0;
        for (String name : rules.tables()) {
            TableMetadata table = table(name);
            List<MaskRule> columnRules = rules.rules().stream().filter(r -> r.tableName().equals(name)).toList();
            List<RowFilter> filters = rules.filters().stream().filter(f -> f.tableName().equals(name)).toList();
            total += maskTable(table, columnRules, filters);
        }
        return total;
    }

    /** Fails with a message naming the table when the copy lacks one the rules name; changes nothing. */
    public void checkTables(MaskRules rules) {
        rules.tables().forEach(this::table);
    }

    private TableMetadata table(String name) {
        String[] parts = name.split("\\.");
        TableMetadata table = session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(parts[0]))
                .flatMap(ks -> ks.getTable(CqlIdentifier.fromInternal(parts[1])))
                .orElseThrow(() -> new MaskingException("masking: table " + name + " does not exist in the copy"));
        return table;
    }

    private long maskTable(TableMetadata table, List<MaskRule> rules, List<RowFilter> filters) {
        String name = table.getKeyspace().asInternal() + "." + table.getName().asInternal();
        Map<CqlIdentifier, MaskRule> byColumn = new LinkedHashMap<>();
        for (MaskRule rule : rules) {
            ColumnMetadata column = table.getColumn(CqlIdentifier.fromInternal(rule.column())).orElseThrow(() -> new MaskingException(
                    "masking: " + name + " has no column " + rule.column()));
            if (!ValueMasker.supports(column.getType())) {
                throw new MaskingException("masking: " + rule.describe() + ": columns of type " + column.getType()
                        + " cannot be masked (text, ascii, numbers, uuid and collections of them can)");
            }
            byColumn.put(column.getName(), rule);
        }
        for (RowFilter filter : filters) {
            table.getColumn(CqlIdentifier.fromInternal(filter.column())).orElseThrow(() -> new MaskingException(
                    "masking: " + name + " has no column " + filter.column() + " (row filter)"));
        }
        List<ColumnMetadata> key = table.getPrimaryKey();
        boolean rewritesKeys = key.stream().anyMatch(c -> byColumn.containsKey(c.getName()));
        long estimate = estimateRows(table);
        listener.onProgress("masking " + name + " (" + rules.size() + " rules, " + filters.size() + " row filters, "
                + (estimate < 0 ? "size unknown" : "~" + estimate + " rows") + ")");
        // A row rewritten under a new key would come up again later in the same scan (masked twice, breaking the
        // joins masking keeps): such rows go to a staging table first, and into the table once its scan is over.
        // Memory stays bounded whatever the table's size; the staging table is dropped (auto_snapshot is off).
        TableMetadata staging = rewritesKeys ? StagingTable.create(session, table) : null;
        try {
            TableWrites writes = new TableWrites(table, byColumn.keySet(), rewritesKeys, staging);
            AtomicLong done = new AtomicLong();
            writeAll(table, writes.selection(), name, (row, out) -> {
                if (cancelled.getAsBoolean()) {
                    throw new MaskingException("masking cancelled");
                }
                if (filtered(row, filters)) {
                    out.accept(writes.delete(row));
                } else {
                    writes.rewrite(row, c -> {
                        ColumnMetadata column = table.getColumn(c).orElseThrow();
                        return masker.mask(byColumn.get(c), column.getType(), row.getObject(c));
                    }).forEach(out);
                }
                long n = done.incrementAndGet();
                if (n % PROGRESS_EVERY == 0) {
                    listener.onProgress("masking " + name + ": " + n + " rows done"
                            + (estimate < 0 ? "" : " / ~" + estimate + " estimated"));
                }
            });
            if (staging != null) {
                listener.onProgress("writing the rows of " + name + " whose keys were masked under their new keys");
                writeAll(staging, "*", name, (row, out) -> out.accept(writes.fromStaging(row)));
                StagingTable.drop(session, staging);
                staging = null;
            }
            listener.onProgress("masked " + name + ": " + done.get() + " rows");
            return done.get();
        } finally {
            if (staging != null) {
                StagingTable.dropQuietly(session, staging);
            }
        }
    }

    /** What to write for one row read: statements handed to {@code out}. */
    private interface RowWrites {
        void write(Row row, Consumer<BoundStatement> out);
    }

    /**
     * Reads every row of {@code table} and executes what {@code writes} makes of it, at most {@link #IN_FLIGHT} at
     * once; returns when every write is done. The first failure (of a read, a write or {@code writes}) stops it.
     */
    private void writeAll(TableMetadata table, String selection, String masking, RowWrites writes) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        scan(table, selection, failures, row -> writes.write(row, statement -> {
            inFlight.acquireUninterruptibly();
            CompletionStage<?> stage = session.executeAsync(statement);
            stage.whenComplete((ok, error) -> {
                if (error != null) {
                    failures.add(error);
                }
                inFlight.release();
            });
        }));
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            if (first instanceof MaskingException said) {
                throw said;
            }
            throw new MaskingException("masking " + masking + " failed: " + first.getMessage(), first);
        }
    }

    /**
     * Reads every row of the table once, handing each to {@code each}: in {@link #SLICES} token slices read by
     * {@link #READERS} threads at once where the partitioner allows it (the masking's CPU and the node's reads
     * overlap), else in one paged scan. A failure of {@code each} or of a read lands in {@code failures} and stops
     * the reading.
     */
    private void scan(TableMetadata table, String selection, Queue<Throwable> failures, Consumer<Row> each) {
        String from = "SELECT " + selection + " FROM " + qualified(table);
        Optional<List<TokenSlices.Slice>> slices = session.getMetadata().getTokenMap()
                .flatMap(tokens -> TokenSlices.of(tokens, SLICES));
        if (slices.isEmpty()) {
            for (Row row : session.execute(SimpleStatement.newInstance(from).setPageSize(PAGE_SIZE))) {
                if (!failures.isEmpty()) {
                    return;
                }
                each.accept(row);
            }
            return;
        }
        String token = "token(" + table.getPartitionKey().stream().map(c -> c.getName().asCql(true))
                .collect(Collectors.joining(", ")) + ")";
        PreparedStatement between = session.prepare(from + " WHERE " + token + " > ? AND " + token + " <= ?");
        PreparedStatement toTheEnd = session.prepare(from + " WHERE " + token + " > ?");
        ExecutorService readers = Executors.newFixedThreadPool(READERS, work -> {
            Thread thread = new Thread(work, "snapci-mask-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (TokenSlices.Slice slice : slices.get()) {
                BoundStatement read = (slice.upTo() == null ? toTheEnd.bind().setToken(0, slice.after())
                        : between.bind().setToken(0, slice.after()).setToken(1, slice.upTo())).setPageSize(PAGE_SIZE);
                reads.add(readers.submit(() -> {
                    for (Row row : session.execute(read)) {
                        if (!failures.isEmpty()) {
                            return;
                        }
                        each.accept(row);
                    }
                }));
            }
            for (Future<?> read : reads) {
                try {
                    read.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(new MaskingException("masking interrupted"));
        } finally {
            readers.shutdownNow();
        }
    }

    private static boolean filtered(Row row, List<RowFilter> filters) {
        for (RowFilter filter : filters) {
            Object value = row.getObject(CqlIdentifier.fromInternal(filter.column()));
            if (value != null && Objects.equals(value.toString(), filter.value())) {
                return true;
            }
        }
        return false;
    }

    /** Cassandra's own estimate (system.size_estimates), summed over its token ranges; -1 when it has none. */
    private long estimateRows(TableMetadata table) {
        try {
            long sum = 0;
            for (Row row : session.execute(SimpleStatement.newInstance(
                    "SELECT partitions_count FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?",
                    table.getKeyspace().asInternal(), table.getName().asInternal()))) {
                sum += row.getLong(0);
            }
            return sum == 0 ? -1 : sum;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The prepared statements one table's rows are written back with. A static column is the partition's: masked
     * once per partition, on its first row (a reader meets a partition's rows one after the other: the scan never
     * splits a partition), with an update keyed by the partition key alone (Cassandra refuses a clustering key in an
     * update that sets only static columns) — a later row would read the masked value and mask it again. A row
     * moved to a new partition takes its partition's static values along, and they are deleted from the old one.
     * Null values are left unset rather than written as tombstones.
     *
     * <p>Rewritten in place, a masked cell keeps its TTL (what is left of it) and its write time (plus one
     * microsecond, so that it wins over the original: at equal timestamps Cassandra keeps the greater value): the
     * copy's data expires as production's would, and {@code WRITETIME()} still orders writes. Cells of a non-frozen
     * collection (no single TTL or write time) and rows moved to a new key get new write times and no TTL.
     */
    private final class TableWrites {
        private final List<ColumnMetadata> key;
        private final List<ColumnMetadata> partitionKey;
        private final List<CqlIdentifier> masked;
        private final List<CqlIdentifier> maskedRegular;
        private final List<CqlIdentifier> maskedStatic;
        private final boolean rewritesKeys;
        private final List<ColumnMetadata> all;
        private final PreparedStatement update;
        private final PreparedStatement updateStatic;
        private final PreparedStatement insert;
        private final PreparedStatement stage;
        private final PreparedStatement delete;
        private final PreparedStatement deleteStatics;
        /** The partition key and the static columns: a partition that holds only static values has no row. */
        private final List<ColumnMetadata> partitionWithStatics;
        private final PreparedStatement insertStatics;
        private final PreparedStatement stageStatics;
        /** Masked cells whose TTL and write time are read with the row and kept: single cells, not in the key. */
        private final List<ColumnMetadata> timed;
        /** UPDATE ... USING TTL ? AND TIMESTAMP ? SET (columns) WHERE (key), by the columns it sets. */
        private final Map<List<CqlIdentifier>, PreparedStatement> timedUpdates = new java.util.concurrent.ConcurrentHashMap<>();
        private final String target;
        /** The partition key of the row each reader thread handed over last. */
        private final ThreadLocal<List<Object>> lastPartition = new ThreadLocal<>();

        /** @param staging where rows rewritten under a new key wait until the table's scan is over; null: none */
        TableWrites(TableMetadata table, java.util.Collection<CqlIdentifier> masked, boolean rewritesKeys,
                    TableMetadata staging) {
            this.key = table.getPrimaryKey();
            this.partitionKey = table.getPartitionKey();
            this.masked = List.copyOf(masked);
            this.rewritesKeys = rewritesKeys;
            List<ColumnMetadata> others = table.getColumns().values().stream().filter(c -> !key.contains(c))
                    .toList();
            // without a key rule, single cells are rewritten with their own TTL and write time (timed, below)
            java.util.function.Predicate<ColumnMetadata> untimed = c -> rewritesKeys || multiCell(c.getType());
            this.maskedRegular = others.stream().filter(c -> !c.isStatic() && this.masked.contains(c.getName()))
                    .filter(untimed).map(ColumnMetadata::getName).toList();
            this.maskedStatic = others.stream().filter(c -> c.isStatic() && this.masked.contains(c.getName()))
                    .filter(untimed).map(ColumnMetadata::getName).toList();
            this.target = qualified(table);
            this.timed = rewritesKeys ? List.of() : others.stream().filter(c -> this.masked.contains(c.getName()))
                    .filter(c -> !multiCell(c.getType())).toList();
            this.delete = session.prepare("DELETE FROM " + qualified(table) + " WHERE " + equalTo(key));
            List<ColumnMetadata> statics = others.stream().filter(ColumnMetadata::isStatic).toList();
            boolean movesPartitions = rewritesKeys && partitionKey.stream().anyMatch(c -> this.masked.contains(
                    c.getName()));
            this.deleteStatics = !movesPartitions || statics.isEmpty() ? null : session.prepare("DELETE "
                    + statics.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", "))
                    + " FROM " + qualified(table) + " WHERE " + equalTo(partitionKey));
            this.update = rewritesKeys || maskedRegular.isEmpty() ? null : session.prepare("UPDATE "
                    + qualified(table) + " SET " + assignments(maskedRegular) + " WHERE " + equalTo(key));
            this.updateStatic = rewritesKeys || maskedStatic.isEmpty() ? null : session.prepare("UPDATE "
                    + qualified(table) + " SET " + assignments(maskedStatic) + " WHERE " + equalTo(partitionKey));
            List<ColumnMetadata> columns = new ArrayList<>(key);
            columns.addAll(others); // statics too: a row under a new partition key takes its partition's along
            this.all = List.copyOf(columns);
            this.insert = rewritesKeys ? session.prepare(insertInto(table, all)) : null;
            this.stage = staging == null ? null : session.prepare(insertInto(staging, all));
            List<ColumnMetadata> withStatics = new ArrayList<>(partitionKey);
            withStatics.addAll(statics);
            this.partitionWithStatics = List.copyOf(withStatics);
            // CQL inserts a partition's static values alone when no clustering column is given
            this.insertStatics = rewritesKeys && !statics.isEmpty()
                    ? session.prepare(insertInto(table, partitionWithStatics)) : null;
            this.stageStatics = staging != null && !statics.isEmpty()
                    ? session.prepare(insertInto(staging, partitionWithStatics)) : null;
        }

        private static String equalTo(List<ColumnMetadata> columns) {
            return columns.stream().map(c -> c.getName().asCql(true) + " = ?").collect(Collectors.joining(" AND "));
        }

        private static String assignments(List<CqlIdentifier> columns) {
            return columns.stream().map(c -> c.asCql(true) + " = ?").collect(Collectors.joining(", "));
        }

        private static String insertInto(TableMetadata target, List<ColumnMetadata> columns) {
            return "INSERT INTO " + qualified(target) + " ("
                    + columns.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", "))
                    + ") VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        }

        BoundStatement delete(Row row) {
            return delete.bind(key.stream().map(c -> row.getObject(c.getName())).toArray());
        }

        List<BoundStatement> rewrite(Row row, java.util.function.Function<CqlIdentifier, Object> maskOf) {
            List<Object> partition = partitionKey.stream().map(c -> row.getObject(c.getName())).toList();
            boolean firstOfPartition = !partition.equals(lastPartition.get());
            lastPartition.set(partition);
            if (!rewritesKeys) {
                List<BoundStatement> writes = new ArrayList<>(2);
                // a partition with only static values is read as one row whose clustering columns are null
                boolean hasRow = key.stream().allMatch(c -> row.getObject(c.getName()) != null);
                if (update != null && hasRow) {
                    List<Object> values = new ArrayList<>();
                    maskedRegular.forEach(c -> values.add(maskOf.apply(c)));
                    key.forEach(c -> values.add(row.getObject(c.getName())));
                    writes.add(update.bind(values.toArray()));
                }
                if (updateStatic != null && firstOfPartition) {
                    List<Object> values = new ArrayList<>();
                    maskedStatic.forEach(c -> values.add(maskOf.apply(c)));
                    partition.forEach(values::add);
                    writes.add(updateStatic.bind(values.toArray()).setIdempotent(true));
                }
                writes.addAll(timedUpdates(row, maskOf, hasRow, firstOfPartition));
                return writes;
            }
            if (insertStatics != null && key.stream().anyMatch(c -> row.getObject(c.getName()) == null)) {
                return rewriteStaticsOnly(row, partition, maskOf);
            }
            List<Object> values = new ArrayList<>();
            java.util.BitSet cleared = new java.util.BitSet(); // masked to null: the original cell must go
            boolean keyChanged = false;
            boolean partitionChanged = false;
            for (ColumnMetadata c : all) {
                Object original = row.getObject(c.getName());
                Object value = maskedValue(c, original, maskOf);
                if (original != null && value == null) {
                    cleared.set(values.size());
                }
                if (key.contains(c)) {
                    if (value == null) {
                        throw new MaskingException("masking: a key column cannot be set to null (" + c.getName()
                                + ")");
                    }
                    keyChanged |= !value.equals(original);
                    partitionChanged |= partitionKey.contains(c) && !value.equals(original);
                }
                values.add(value);
            }
            if (!keyChanged) {
                // the same key: written in place (the scan never meets it again). A delete of it would remove it
                // whatever the order of issue: both are timestamped by the coordinator.
                return List.of(bindUnsettingNulls(insert, values, cleared));
            }
            List<BoundStatement> writes = new ArrayList<>(3);
            writes.add(delete(row));
            if (partitionChanged && deleteStatics != null && firstOfPartition) {
                writes.add(deleteStatics.bind(partition.toArray()).setIdempotent(true));
            }
            writes.add(bindUnsettingNulls(stage, values, new java.util.BitSet())); // a new row: nothing to clear
            return writes;
        }

        /** What the copy holds in this column after masking: the masked value if a rule names it, else the same. */
        private Object maskedValue(ColumnMetadata column, Object original,
                                   java.util.function.Function<CqlIdentifier, Object> maskOf) {
            return original == null ? null
                    : masked.contains(column.getName()) ? maskOf.apply(column.getName()) : original;
        }

        /**
         * A partition that holds only static values (read as one row whose clustering columns are null), under a key
         * rule: it has no row to move, so its statics are written under the (masked) partition key alone — in place
         * if the partition key stays, else staged, and deleted from the original partition.
         */
        private List<BoundStatement> rewriteStaticsOnly(Row row, List<Object> partition,
                                                        java.util.function.Function<CqlIdentifier, Object> maskOf) {
            List<Object> values = new ArrayList<>();
            java.util.BitSet cleared = new java.util.BitSet();
            boolean partitionChanged = false;
            for (ColumnMetadata c : partitionWithStatics) {
                Object original = row.getObject(c.getName());
                Object value = maskedValue(c, original, maskOf);
                if (original != null && value == null) {
                    if (partitionKey.contains(c)) {
                        throw new MaskingException("masking: a key column cannot be set to null (" + c.getName()
                                + ")");
                    }
                    cleared.set(values.size());
                }
                partitionChanged |= partitionKey.contains(c) && !java.util.Objects.equals(value, original);
                values.add(value);
            }
            if (!partitionChanged) {
                return List.of(bindUnsettingNulls(insertStatics, values, cleared));
            }
            return List.of(deleteStatics.bind(partition.toArray()).setIdempotent(true),
                    bindUnsettingNulls(stageStatics, values, new java.util.BitSet()));
        }

        /**
         * Binds {@code values} in the order of the statement's columns. A null is left unset (no tombstone, no
         * cell), except where {@code cleared}: a value masked to null over an original, which the null must delete.
         */
        private BoundStatement bindUnsettingNulls(PreparedStatement statement, List<Object> values,
                                                  java.util.BitSet cleared) {
            BoundStatement bound = statement.bind();
            for (int i = 0; i < values.size(); i++) {
                if (cleared.get(i)) {
                    bound = bound.setToNull(i);
                } else if (values.get(i) != null) {
                    bound = bound.set(i, values.get(i), session.getContext().getCodecRegistry()
                            .codecFor(statement.getVariableDefinitions().get(i).getType()));
                }
            }
            return bound.setIdempotent(true);
        }

        /** The scan's selection: every column, and the TTL and write time of each {@link #timed} cell. */
        String selection() {
            StringBuilder selection = new StringBuilder();
            for (ColumnMetadata c : all) {
                selection.append(selection.isEmpty() ? "" : ", ").append(c.getName().asCql(true));
            }
            for (int i = 0; i < timed.size(); i++) {
                String column = timed.get(i).getName().asCql(true);
                selection.append(", TTL(").append(column).append(") AS snapci_ttl_").append(i)
                        .append(", WRITETIME(").append(column).append(") AS snapci_written_").append(i);
            }
            return selection.toString();
        }

        /**
         * The timed cells of one row, masked: one UPDATE for each (TTL, write time) the row's cells share — cells
         * written together share both, so usually one. A null cell has nothing to mask; a static one is masked on
         * the partition's first row only, keyed by the partition key alone.
         */
        private List<BoundStatement> timedUpdates(Row row, java.util.function.Function<CqlIdentifier, Object> maskOf,
                                                  boolean hasRow, boolean firstOfPartition) {
            Map<List<Object>, List<Integer>> byTiming = new LinkedHashMap<>();
            for (int i = 0; i < timed.size(); i++) {
                ColumnMetadata c = timed.get(i);
                if (row.getObject(c.getName()) == null || (c.isStatic() ? !firstOfPartition : !hasRow)) {
                    continue;
                }
                Integer ttl = row.isNull("snapci_ttl_" + i) ? 0 : row.getInt("snapci_ttl_" + i);
                long written = row.getLong("snapci_written_" + i) + 1;
                byTiming.computeIfAbsent(List.of(c.isStatic(), ttl, written), t -> new ArrayList<>()).add(i);
            }
            List<BoundStatement> updates = new ArrayList<>();
            byTiming.forEach((timing, indexes) -> {
                boolean statics = (Boolean) timing.get(0);
                List<CqlIdentifier> columns = indexes.stream().map(i -> timed.get(i).getName()).toList();
                List<ColumnMetadata> where = statics ? partitionKey : key;
                PreparedStatement update = timedUpdates.computeIfAbsent(columns, set -> session.prepare("UPDATE "
                        + target + " USING TTL ? AND TIMESTAMP ? SET " + assignments(set) + " WHERE "
                        + equalTo(where)));
                List<Object> values = new ArrayList<>();
                values.add(timing.get(1));
                values.add(timing.get(2));
                columns.forEach(c -> values.add(maskOf.apply(c)));
                where.forEach(c -> values.add(row.getObject(c.getName())));
                updates.add(update.bind(values.toArray()).setIdempotent(true));
            });
            return updates;
        }

        /** A staged row, into the table under its new key (after every delete of the scan). */
        BoundStatement fromStaging(Row staged) {
            boolean staticsOnly = key.stream().anyMatch(c -> staged.getObject(c.getName()) == null);
            List<ColumnMetadata> columns = staticsOnly ? partitionWithStatics : all;
            return bindUnsettingNulls(staticsOnly ? insertStatics : insert,
                    columns.stream().map(c -> staged.getObject(c.getName())).toList(), new java.util.BitSet());
        }
    }

    /** A non-frozen collection: many cells, no one TTL or write time to read. */
    private static boolean multiCell(com.datastax.oss.driver.api.core.type.DataType type) {
        return (type instanceof com.datastax.oss.driver.api.core.type.ListType list && !list.isFrozen())
                || (type instanceof com.datastax.oss.driver.api.core.type.SetType set && !set.isFrozen())
                || (type instanceof com.datastax.oss.driver.api.core.type.MapType map && !map.isFrozen());
    }

    private static String qualified(TableMetadata table) {
        return table.getKeyspace().asCql(true) + "." + table.getName().asCql(true);
    }
}
