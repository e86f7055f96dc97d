package dev.coldstart.auth.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.coldstart.auth.StoredKeySet;
import dev.coldstart.auth.KeySetStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON file per provider: {@code {"fetchedAt": ISO-8601, "jwksUri": URL, "jwks": {...}}},
 * written to a temporary file and renamed over the old one, so readers see the old or the new
 * file, never half of one. Thread-safe (each save writes its own temporary file).
 */
public final class FileKeySetStore implements KeySetStore {
    private final Path directory;

    /**
     * Creates the store.
     *
     * @param directory where the files live
     */
    public FileKeySetStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public void save(String providerName, StoredKeySet keySet) throws IOException, ParseException {
        Files.createDirectories(directory);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("fetchedAt", keySet.fetchedAt().toString());
        if (keySet.jwksUri() != null) {
            doc.put("jwksUri", keySet.jwksUri().toString());
        }
        doc.put("jwks", JSONObjectUtils.parse(keySet.jwksJson()));
        Path target = file(providerName);
        Path tmp = Files.createTempFile(directory, target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, JSONObjectUtils.toJSONString(doc), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<StoredKeySet> load(String providerName) throws IOException, ParseException {
        Path f = file(providerName);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Map<String, Object> doc = JSONObjectUtils.parse(Files.readString(f, StandardCharsets.UTF_8));
        String fetchedAt = JSONObjectUtils.getString(doc, "fetchedAt");
        String uri = JSONObjectUtils.getString(doc, "jwksUri");
        Map<String, Object> jwks = JSONObjectUtils.getJSONObject(doc, "jwks");
        if (fetchedAt == null || jwks == null) {
            throw new ParseException(f + " lacks fetchedAt or jwks", 0);
        }
        return Optional.of(new StoredKeySet(JSONObjectUtils.toJSONString(jwks), Instant.parse(fetchedAt),
                uri == null ? null : URI.create(uri)));
    }

    /**
     * The file of a provider.
     *
     * @param providerName the provider's name
     * @return its path
     */
    public Path file(String providerName) {
        return directory.resolve(providerName.replaceAll("[^A-Za-z0-9._-]", "_") + ".jwks.json");
    }

    @Override
    public String toString() {
        return "KeySetStore.file(" + directory + ")";
    }
}
