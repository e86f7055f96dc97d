package dev.coldstart.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every fault of the WireMock-based peer, as seen by the JDK's HttpClient. */
class FaultyHttpPeerTest {
    private static final String JWKS = "{\"keys\": []}";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static FaultyHttpPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = FaultyHttpPeer.start("idp");
        peer.stubJson("/jwks", JWKS);
        peer.stub("/health", 200, "text/plain", "ok");
    }

    @AfterAll
    static void stopPeer() {
        peer.close();
    }

    @BeforeEach
    void clearFaultsAndCounts() {
        peer.clearFaults();
        peer.resetRequestCounts();
    }

    @Test
    void servesItsNormalStubs() throws Exception {
        HttpResponse<String> r = get("/jwks");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo(JWKS);
        assertThat(get("/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void slowDelaysTheNormalAnswerSoAShorterRequestTimeoutFires() throws Exception {
        peer.setFault("/jwks", HttpFault.slow(Duration.ofMillis(600)));
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/jwks");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(600L, 2_500L);
        assertThat(r.body()).isEqualTo(JWKS);

        HttpRequest impatient = HttpRequest.newBuilder(peer.uri("/jwks")).timeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> client.send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        long t1 = System.nanoTime();
        assertThat(get("/health").body()).as("other paths are not slowed").isEqualTo("ok");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1)).isLessThan(500L);
    }

    @Test
    void serverErrorAnswers500ForEveryPathUntilCleared() throws Exception {
        peer.setFault(HttpFault.serverError());
        assertThat(get("/jwks").statusCode()).isEqualTo(500);
        assertThat(get("/health").statusCode()).isEqualTo(500);
        peer.clearFaults();
        assertThat(get("/jwks").statusCode()).isEqualTo(200);
        assertThat(peer.fault()).isEqualTo(HttpFault.none());
    }

    @Test
    void invalidJsonAnswers200WithATruncatedJsonBody() throws Exception {
        peer.setFault("/jwks", HttpFault.invalidJson());
        HttpResponse<String> r = get("/jwks");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo(HttpFault.INVALID_JSON_BODY).doesNotEndWith("}");
    }

    @Test
    void wrongContentTypeAnswersAnHtmlPage() throws Exception {
        peer.setFault("/jwks", HttpFault.wrongContentType());
        HttpResponse<String> r = get("/jwks");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void connectionResetAndEmptyResponseMakeTheClientFailWithIoException() throws Exception {
        peer.setFault("/jwks", HttpFault.connectionReset());
        assertThatThrownBy(() -> get("/jwks")).isInstanceOf(IOException.class);
        peer.setFault("/jwks", HttpFault.emptyResponse());
        assertThatThrownBy(() -> get("/jwks")).isInstanceOf(IOException.class);
        assertThat(get("/health").statusCode()).as("a path fault leaves other paths alone").isEqualTo(200);
    }

    @Test
    void aPathFaultWinsOverThePeerWideFault() throws Exception {
        peer.setFault(HttpFault.status(503));
        peer.setFault("/health", HttpFault.none());
        peer.setFault("/jwks", HttpFault.invalidJson());
        assertThat(get("/jwks").body()).isEqualTo(HttpFault.INVALID_JSON_BODY);
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(peer.fault("/jwks")).isEqualTo(HttpFault.invalidJson());
        assertThat(peer.fault("/health")).isEqualTo(HttpFault.status(503));
    }

    @Test
    void countsRequestsPerPathWhateverTheAnswer() throws Exception {
        get("/jwks");
        get("/jwks?x=1");
        // A 500 rather than a reset: the JDK client retries a GET whose connection dies, which would count twice.
        peer.setFault("/jwks", HttpFault.serverError());
        assertThat(get("/jwks").statusCode()).isEqualTo(500);
        get("/health");
        get("/missing");
        assertThat(peer.requestCount("/jwks")).isEqualTo(3);
        assertThat(peer.requestCount("/health")).isEqualTo(1);
        assertThat(peer.requestCount("/missing")).isEqualTo(1);
        assertThat(peer.requestCount()).isEqualTo(5);
        peer.resetRequestCounts();
        assertThat(peer.requestCount()).isZero();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(peer.uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
