package dev.coldstart.resources.internal;

import dev.coldstart.resources.TokenBucket;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream that pays a {@link TokenBucket} for every byte it reads. */
public final class ThrottledInputStream extends FilterInputStream {
    private final TokenBucket bucket;

    /**
     * Wraps a stream.
     *
     * @param in the stream
     * @param bucket the bucket to pay
     */
    public ThrottledInputStream(InputStream in, TokenBucket bucket) {
        super(in);
        this.bucket = bucket;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bucket.acquire(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, (int) Math.min(len, bucket.burstBytes()));
        if (n > 0) {
            bucket.acquire(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, bucket.burstBytes()));
        if (skipped > 0) {
            bucket.acquire(skipped);
        }
        return skipped;
    }
}
