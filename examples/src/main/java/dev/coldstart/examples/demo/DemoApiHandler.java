package dev.coldstart.examples.demo;

import dev.coldstart.core.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's API, served on the probe endpoint's port: {@code GET /api/currencies} lists the
 * reference data the migrations seeded, {@code GET /api/tenants/default/settings} the settings the
 * init-time seeding inserted. Before READY it answers {@code 503} with {@code Retry-After: 1}
 * rather than touching a pool that is still starting.
 */
final class DemoApiHandler extends Handler.Abstract.NonBlocking {
    private static final Logger log = LoggerFactory.getLogger(DemoApiHandler.class);
    /** Response header telling whether the optional cache served: {@code hit}, {@code miss} or {@code off}. */
    static final String CACHE_HEADER = "X-Cache";

    private final BooleanSupplier ready;
    private final Supplier<DataSource> dataSource;
    private final DemoCache cache;
    private final BooleanSupplier cacheOn;

    DemoApiHandler(BooleanSupplier ready, Supplier<DataSource> dataSource) {
        this(ready, dataSource, null, () -> false);
    }

    /**
     * An API whose reference data ({@code /api/currencies}) is read through the optional cache while
     * its feature flag is on, and from the database otherwise; the answer's {@value #CACHE_HEADER}
     * header says which ({@code hit}, {@code miss} or {@code off}).
     */
    DemoApiHandler(BooleanSupplier ready, Supplier<DataSource> dataSource, DemoCache cache, BooleanSupplier cacheOn) {
        this.ready = ready;
        this.dataSource = dataSource;
        this.cache = cache;
        this.cacheOn = cacheOn;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String sql;
        if (path.equals("/api/currencies")) {
            sql = "SELECT code, name FROM currency ORDER BY code";
        } else if (path.equals("/api/tenants/default/settings")) {
            sql = "SELECT name, setting_value FROM tenant_setting WHERE tenant_id = 'default' ORDER BY name";
        } else {
            return false;
        }
        if (!ready.getAsBoolean()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "{\"error\":\"not ready yet, retry shortly\"}");
            return true;
        }
        // The query blocks: run it off the selector thread.
        request.getContext().execute(() -> {
            try {
                write(response, callback, HttpStatus.OK_200, path.equals("/api/currencies") ? cached(sql, response) : query(sql));
            } catch (SQLException e) {
                log.warn("demo-api - {} failed: {}", path, e.getMessage());
                write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "{\"error\":\"database unavailable\"}");
            }
        });
        return true;
    }

    /** Reads through the cache while its flag is on; a cache that fails mid-request is skipped, never fatal. */
    private String cached(String sql, Response response) throws SQLException {
        if (cache != null && cacheOn.getAsBoolean()) {
            try {
                String hit = cache.get("currencies");
                if (hit != null) {
                    response.getHeaders().put(CACHE_HEADER, "hit");
                    return hit;
                }
                String fresh = query(sql);
                cache.put("currencies", fresh);
                response.getHeaders().put(CACHE_HEADER, "miss");
                return fresh;
            } catch (RuntimeException e) {
                log.debug("demo-api - cache skipped: {}", e.toString());
            }
        }
        response.getHeaders().put(CACHE_HEADER, "off");
        return query(sql);
    }

    private String query(String sql) throws SQLException {
        Json.Writer w = Json.writer().beginObject();
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                w.field(rs.getString(1).trim(), rs.getString(2));
            }
        }
        return w.endObject().toString();
    }

    private static void write(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, json, callback);
    }
}
