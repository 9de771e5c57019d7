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
            if (column.isStatic()) {
                throw new MaskingException("masking: " + rule.describe() + ": static columns are not supported yet");
            }
            byColumn.put(column.getName(), rule);
        }
        for (RowFilter filter : filters) {
            table.getColumn(CqlIdentifier.fromInternal(filter.column())).orElseThrow(() -> new MaskingException(
                    "masking: " + name + " has no column " + filter.column() + " (row filter)"));
        }
        List<ColumnMetadata> key = table.getPrimaryKey();
        boolean rewritesKeys = key.stream().anyMatch(c -> byColumn.containsKey(c.getName()));
        TableWrites writes = new TableWrites(table, byColumn.keySet(), rewritesKeys);
        long estimate = estimateRows(table);
        listener.onProgress("masking " + name + " (" + rules.size() + " rules, " + filters.size() + " row filters, "
                + (estimate < 0 ? "size unknown" : "~" + estimate + " rows") + ")");
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong done = new AtomicLong();
        ConcurrentLinkedQueue<BoundStatement> afterScan = new ConcurrentLinkedQueue<>();
        scan(table, failures, row -> {
            if (cancelled.getAsBoolean()) {
                throw new MaskingException("masking cancelled");
            }
            List<BoundStatement> statements = filtered(row, filters)
                    ? List.of(writes.delete(row))
                    : writes.rewrite(row, c -> {
                        ColumnMetadata column = table.getColumn(c).orElseThrow();
                        return masker.mask(byColumn.get(c), column.getType(), row.getObject(c));
                    });
            if (rewritesKeys) {
                // Rows written under new keys would come up again later in the same scan: write them afterwards.
                afterScan.addAll(statements);
                statements = List.of();
            }
            for (BoundStatement statement : statements) {
                inFlight.acquireUninterruptibly();
                CompletionStage<?> stage = session.executeAsync(statement);
                stage.whenComplete((ok, error) -> {
                    if (error != null) {
                        failures.add(error);
                    }
                    inFlight.release();
                });
            }
            long n = done.incrementAndGet();
            if (n % PROGRESS_EVERY == 0) {
                listener.onProgress("masking " + name + ": " + n + " rows done"
                        + (estimate < 0 ? "" : " / ~" + estimate + " estimated"));
            }
        });
        for (BoundStatement statement : afterScan) {
            if (!failures.isEmpty()) {
                break;
            }
            inFlight.acquireUninterruptibly();
            session.executeAsync(statement).whenComplete((ok, error) -> {
                if (error != null) {
                    failures.add(error);
                }
                inFlight.release();
            });
        }
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            if (first instanceof MaskingException said) {
                throw said;
            }
            throw new MaskingException("masking " + name + " failed: " + first.getMessage(), first);
        }
        listener.onProgress("masked " + name + ": " + done.get() + " rows");
        return done.get();
    }

    /**
     * Reads every row of the table once, handing each to {@code each}: in {@link #SLICES} token slices read by
     * {@link #READERS} threads at once where the partitioner allows it (the masking's CPU and the node's reads
     * overlap), else in one paged scan. A failure of {@code each} or of a read lands in {@code failures} and stops
     * the reading.
     */
    private void scan(TableMetadata table, Queue<Throwable> failures, Consumer<Row> each) {
        String from = "SELECT * FROM " + table.getKeyspace().asCql(true) + "." + table.getName().asCql(true);
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

    /** The prepared statements one table's rows are written back with. */
    private final class TableWrites {
        private final List<ColumnMetadata> key;
        private final List<CqlIdentifier> masked;
        private final boolean rewritesKeys;
        private final List<ColumnMetadata> regular;
        private final PreparedStatement update;
        private final PreparedStatement insert;
        private final PreparedStatement delete;

        TableWrites(TableMetadata table, java.util.Collection<CqlIdentifier> masked, boolean rewritesKeys) {
            this.key = table.getPrimaryKey();
            this.masked = List.copyOf(masked);
            this.rewritesKeys = rewritesKeys;
            this.regular = table.getColumns().values().stream()
                    .filter(c -> !key.contains(c) && !c.isStatic()).toList();
            String target = table.getKeyspace().asCql(true) + "." + table.getName().asCql(true);
            String where = key.stream().map(c -> c.getName().asCql(true) + " = ?")
                    .collect(Collectors.joining(" AND "));
            this.delete = session.prepare("DELETE FROM " + target + " WHERE " + where);
            List<CqlIdentifier> nonKeyMasked = this.masked.stream()
                    .filter(c -> key.stream().noneMatch(k -> k.getName().equals(c))).toList();
            this.update = rewritesKeys || nonKeyMasked.isEmpty() ? null : session.prepare("UPDATE " + target
                    + " SET " + nonKeyMasked.stream().map(c -> c.asCql(true) + " = ?")
                    .collect(Collectors.joining(", ")) + " WHERE " + where);
            List<ColumnMetadata> all = new ArrayList<>(key);
            all.addAll(regular);
            this.insert = rewritesKeys ? session.prepare("INSERT INTO " + target + " ("
                    + all.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", "))
                    + ") VALUES (" + all.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")") : null;
        }

        BoundStatement delete(Row row) {
            return delete.bind(key.stream().map(c -> row.getObject(c.getName())).toArray());
        }

        List<BoundStatement> rewrite(Row row, java.util.function.Function<CqlIdentifier, Object> maskOf) {
            if (update == null && !rewritesKeys) {
                return List.of();
            }
            if (!rewritesKeys) {
                List<Object> values = new ArrayList<>();
                masked.forEach(c -> values.add(maskOf.apply(c)));
                key.forEach(c -> values.add(row.getObject(c.getName())));
                return List.of(update.bind(values.toArray()));
            }
            List<Object> values = new ArrayList<>();
            boolean keyChanged = false;
            for (ColumnMetadata c : key) {
                Object original = row.getObject(c.getName());
                Object value = masked.contains(c.getName()) ? maskOf.apply(c.getName()) : original;
                if (value == null) {
                    throw new MaskingException("masking: a key column cannot be set to null (" + c.getName() + ")");
                }
                keyChanged |= !value.equals(original);
                values.add(value);
            }
            for (ColumnMetadata c : regular) {
                values.add(masked.contains(c.getName()) ? maskOf.apply(c.getName()) : row.getObject(c.getName()));
            }
            BoundStatement insertNew = insert.bind(values.toArray()).setIdempotent(true);
            // The delete goes first only in order of issue; both are timestamped by the coordinator, so a delete
            // issued after the insert of a key that masks to itself would remove it: skip it then.
            return keyChanged ? List.of(delete(row), insertNew) : List.of(insertNew);
        }
    }
}
