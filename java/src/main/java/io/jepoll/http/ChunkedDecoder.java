package io.jepoll.http;

import java.nio.ByteBuffer;

/**
 * Decodes a chunked request body (RFC 9112 section 7.1) into a {@link BodySink}. Its bytes
 * may arrive split anywhere, so the decoder keeps where it stopped (which part of the message,
 * the bytes left in a chunk, a size or trailer line not yet whole) and resumes there on the next
 * call. Kept apart from the head parser as picohttpparser keeps {@code phr_decode_chunked}: it
 * knows nothing of the head but the request it fills.
 */
final class ChunkedDecoder {

    private static final int MAX_LINE = 4096;

    private enum Step { SIZE, DATA, DATA_END, TRAILERS, DONE }

    private final HttpLimits limits;
    private Step step = Step.SIZE;
    private long chunkRemaining;
    /** Body bytes decoded so far, and the most the body may have: the limit, or none for a streamed body. */
    private long received;
    private long limit;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private int trailerBytes;

    ChunkedDecoder(HttpLimits limits) {
        this.limits = limits;
        this.limit = limits.maxBodyBytes();
    }

    /** Forgets the body just decoded; the next byte starts a new one, within the body limit. */
    void reset() {
        limit = limits.maxBodyBytes();
        received = 0;
        step = Step.SIZE;
        chunkRemaining = 0;
        lineLength = 0;
        trailerBytes = 0;
    }

    long received() {
        return received;
    }

    /** This body is streamed, not buffered: no limit on its length. */
    void unlimited() {
        limit = Long.MAX_VALUE;
    }

    /** Whether the body is complete, trailers and all; consumes its bytes from {@code in} into the request's body. */
    boolean read(ByteBuffer in, HttpRequest request) throws HttpException {
        return read(in, request.bufferedBody());
    }

    /**
     * Whether the body is complete, trailers and all; consumes its bytes from {@code in} into
     * {@code sink}, as many as it has room for.
     */
    boolean read(ByteBuffer in, BodySink sink) throws HttpException {
        while (step != Step.DONE) {
            switch (step) {
                case SIZE -> {
                    if (!readLine(in)) {
                        return false;
                    }
                    chunkRemaining = chunkSize();
                    lineLength = 0;
                    step = chunkRemaining == 0 ? Step.TRAILERS : Step.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(Math.min(in.remaining(), chunkRemaining), sink.room());
                    if (n == 0) {
                        return false;
                    }
                    sink.take(in, n);
                    received += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        step = Step.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (!readLine(in)) {
                        return false;
                    }
                    if (lineLength != 0) {
                        throw new HttpException(400, "chunk data longer than its size");
                    }
                    step = Step.SIZE;
                }
                case TRAILERS -> {
                    if (!readLine(in)) {
                        return false;
                    }
                    if (lineLength == 0) {
                        step = Step.DONE;
                    } else {
                        checkTrailer();
                        lineLength = 0;
                    }
                }
                default -> throw new IllegalStateException(step.name());
            }
        }
        return true;
    }

    /**
     * Reads one CRLF-terminated line into {@link #line}, {@link #lineLength} bytes without the
     * CRLF; false when it is not complete yet. The line stays until the caller empties it, so a
     * line split across reads goes on where it stopped.
     */
    private boolean readLine(ByteBuffer in) throws HttpException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength == 0 || line[lineLength - 1] != '\r') {
                    throw new HttpException(400, "bare LF in chunked body");
                }
                lineLength--;
                return true;
            }
            if (lineLength > 0 && line[lineLength - 1] == '\r') {
                throw new HttpException(400, "bare CR in chunked body");
            }
            if (lineLength == line.length) {
                throw new HttpException(400, "chunk line over " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    /** chunk-size [ BWS ";" ext ] ; the size must fit the body limit. */
    private long chunkSize() throws HttpException {
        int i = 0;
        long size = 0;
        // Any number of digits (leading zeros are 1*HEXDIG too); the value must fit.
        while (i < lineLength && Ascii.hexValue(line[i]) >= 0) {
            if (size > Long.MAX_VALUE >> 4) {
                throw new HttpException(400, "chunk size overflow");
            }
            size = size * 16 + Ascii.hexValue(line[i]);
            i++;
        }
        if (i == 0) {
            throw new HttpException(400, "invalid chunk size");
        }
        while (i < lineLength && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < lineLength && line[i] != ';') {
            throw new HttpException(400, "invalid chunk size");
        }
        for (; i < lineLength; i++) {
            if (!Ascii.fieldValue(line[i])) {
                throw new HttpException(400, "invalid byte in a chunk extension");
            }
        }
        if (size > limit - received) {
            throw new HttpException(413, "body over " + limits.maxBodyBytes() + " bytes");
        }
        return size;
    }

    private void checkTrailer() throws HttpException {
        trailerBytes += lineLength + 2;
        if (trailerBytes > limits.maxHeaderBytes()) {
            throw new HttpException(431, "trailers over " + limits.maxHeaderBytes() + " bytes");
        }
        if (line[0] == ' ' || line[0] == '\t') {
            throw new HttpException(400, "obsolete line folding in a trailer");
        }
        int colon = 0;
        while (colon < lineLength && Ascii.tchar(line[colon])) {
            colon++;
        }
        if (colon == 0 || colon == lineLength || line[colon] != ':') {
            throw new HttpException(400, "malformed trailer");
        }
        for (int i = colon + 1; i < lineLength; i++) {
            if (!Ascii.fieldValue(line[i])) {
                throw new HttpException(400, "invalid byte in a trailer");
            }
        }
    }
}
