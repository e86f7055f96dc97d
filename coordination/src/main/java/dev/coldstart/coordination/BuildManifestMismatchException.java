package dev.coldstart.coordination;

import dev.coldstart.core.NonRetryableException;

/**
 * The client's build manifest is not the server's: another build id, or an asset whose hash
 * differs. Pages this server renders would reference assets the browser does not get, and
 * hydration would fail. Retrying cannot cure it, so the check fails at once and the service does
 * not become READY. Immutable.
 */
public class BuildManifestMismatchException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** The server's build id. */
    private final String serverBuildId;
    /** The client's build id. */
    private final String clientBuildId;
    /** The first differing asset in path order; null when only the build ids differ. */
    private final String firstDifferingAsset;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param serverBuildId the server's build id
     * @param clientBuildId the client's build id
     * @param firstDifferingAsset the first asset, in path order, that differs; null when only the
     *     build ids differ
     */
    public BuildManifestMismatchException(String message, String serverBuildId, String clientBuildId,
            String firstDifferingAsset) {
        super(message);
        this.serverBuildId = serverBuildId;
        this.clientBuildId = clientBuildId;
        this.firstDifferingAsset = firstDifferingAsset;
    }

    /**
     * The server's build id.
     *
     * @return not null
     */
    public String serverBuildId() {
        return serverBuildId;
    }

    /**
     * The client's build id.
     *
     * @return not null
     */
    public String clientBuildId() {
        return clientBuildId;
    }

    /**
     * The first asset, in path order, whose hash differs or that only one manifest lists.
     *
     * @return the path, or null when every asset matches and only the build ids differ
     */
    public String firstDifferingAsset() {
        return firstDifferingAsset;
    }
}
