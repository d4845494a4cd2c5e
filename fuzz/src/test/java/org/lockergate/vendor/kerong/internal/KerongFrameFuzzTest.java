package org.lockergate.vendor.kerong.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kerong KR-CU16 byte stream from a serial-to-TCP server, cut into arbitrary reads: the decoder never throws,
 * never holds more than its bound, only yields frames whose ETX and checksum are right, and finds the same frames
 * however the stream is cut.
 */
class KerongFrameFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void stream(FuzzedDataProvider data) {
        List<byte[]> reads = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (data.remainingBytes() > 0) {
            byte[] chunk = data.consumeBytes(data.consumeInt(1, 64));
            reads.add(chunk);
            all.writeBytes(chunk);
        }
        KerongCodec.Decoder chunked = new KerongCodec.Decoder();
        List<String> framesChunked = new ArrayList<>();
        for (byte[] chunk : reads) {
            for (KerongCodec.Frame frame : chunked.feed(chunk)) {
                check(frame);
                framesChunked.add(frame.toString());
            }
            assertThat(chunked.buffered()).isLessThanOrEqualTo(KerongCodec.MAX_BUFFER);
        }
        KerongCodec.Decoder whole = new KerongCodec.Decoder();
        List<String> framesWhole = new ArrayList<>();
        byte[] bytes = all.toByteArray();
        if (bytes.length <= KerongCodec.MAX_BUFFER) { // beyond the bound old bytes are dropped as noise
            for (KerongCodec.Frame frame : whole.feed(bytes)) {
                check(frame);
                framesWhole.add(frame.toString());
            }
            assertThat(framesChunked).as("the same frames however the stream is cut").isEqualTo(framesWhole);
        }
    }

    private static void check(KerongCodec.Frame frame) {
        int length = KerongCodec.dataLength(frame.cmd());
        assertThat(length).isGreaterThanOrEqualTo(0);
        assertThat(frame.data()).hasSize(length);
        if (frame.cmd() == KerongCodec.STATUS_ANSWER) {
            for (int channel = 1; channel <= 16; channel++) {
                frame.locked(channel);
                frame.present(channel);
            }
        }
        byte[] encoded = new byte[5 + length];
        encoded[0] = KerongCodec.STX;
        encoded[1] = (byte) frame.addr();
        encoded[2] = (byte) frame.cmd();
        System.arraycopy(frame.data(), 0, encoded, 3, length);
        encoded[3 + length] = KerongCodec.ETX;
        encoded[4 + length] = (byte) KerongCodec.sum(encoded, 0, 4 + length);
        assertThat(encoded[4 + length] & 0xFF).isEqualTo(KerongCodec.sum(encoded, 0, 4 + length));
    }
}
