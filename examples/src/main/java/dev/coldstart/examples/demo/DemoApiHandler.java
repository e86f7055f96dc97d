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

    private final BooleanSupplier ready;
    private final Supplier<DataSource> dataSource;

    DemoApiHandler(BooleanSupplier ready, Supplier<DataSource> dataSource) {
        this.ready = ready;
        this.dataSource = dataSource;
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
                write(response, callback, HttpStatus.OK_200, query(sql));
            } catch (SQLException e) {
                log.warn("demo-api - {} failed: {}", path, e.getMessage());
                write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "{\"error\":\"database unavailable\"}");
            }
        });
        return true;
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
