package org.lockergate.vendor.kerong.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockergate.vendor.kerong.internal.KerongCodec.Frame;

class KerongCodecTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void a_command_is_stx_addr_cmd_etx_and_the_low_byte_of_the_sum() {
        assertThat(KerongCodec.command(0x10, 0x30)).containsExactly(bytes(0x02, 0x10, 0x30, 0x03, 0x45));
        assertThat(KerongCodec.command(0x2F, 0x31)).containsExactly(bytes(0x02, 0x2F, 0x31, 0x03, 0x65));
        assertThat(KerongCodec.command(0xF0, 0x33)).containsExactly(bytes(0x02, 0xF0, 0x33, 0x03, 0x28));
    }

    @Test
    void the_checksum_wraps_at_a_byte() {
        byte[] frame = KerongCodec.statusAnswer(0xF0, 0xFFFF, 0xFFFF);
        assertThat(frame[8] & 0xFF).isEqualTo((0x02 + 0xF0 + 0x35 + 4 * 0xFF + 0x03) & 0xFF);
    }

    @Test
    void decodes_a_status_answer_with_lock_and_item_bits() {
        // locks 1 and 9 locked (D1 bit 0, D2 bit 0), item 16 present (D4 bit 7)
        Frame frame = single(new KerongCodec.Decoder().feed(KerongCodec.statusAnswer(0x30, 0x0101, 0x8000)));

        assertThat(frame.board()).isEqualTo(3);
        assertThat(frame.cmd()).isEqualTo(0x35);
        assertThat(frame.locked(1)).isTrue();
        assertThat(frame.locked(2)).isFalse();
        assertThat(frame.locked(9)).isTrue();
        assertThat(frame.present(16)).isTrue();
        assertThat(frame.present(1)).isFalse();
    }

    @Test
    void a_bad_checksum_is_dropped() {
        byte[] bad = KerongCodec.statusAnswer(0x00, 0xFFFF, 0);
        bad[8] ^= 1;
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();

        assertThat(decoder.feed(bad)).isEmpty();
        assertThat(decoder.rejected()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_missing_etx_is_dropped() {
        byte[] bad = KerongCodec.statusAnswer(0x00, 0, 0);
        bad[7] = 0x04;
        bad[8] = (byte) KerongCodec.sum(bad, 0, 8);
        assertThat(new KerongCodec.Decoder().feed(bad)).isEmpty();
    }

    @Test
    void noise_before_stx_is_skipped_and_counted() {
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();
        List<Frame> frames = decoder.feed(concat(bytes(0xFF, 0x13, 0x00, 0x35, 0x03), KerongCodec.statusAnswer(0x10, 1,
                0)));

        assertThat(single(frames).board()).isEqualTo(1);
        assertThat(decoder.noise()).isEqualTo(5);
    }

    @Test
    void resynchronises_on_a_real_frame_that_starts_inside_a_corrupt_one() {
        byte[] good = KerongCodec.statusAnswer(0x20, 0x0003, 0x0001);
        // a corrupt frame cut short: STX, ADDR, 0x35 and two data bytes, then the real frame begins
        byte[] stream = concat(bytes(0x02, 0x20, 0x35, 0x02, 0x02), good);
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();

        Frame frame = single(decoder.feed(stream));

        assertThat(frame.board()).isEqualTo(2);
        assertThat(frame.locked(1)).isTrue();
        assertThat(frame.locked(2)).isTrue();
        assertThat(frame.present(1)).isTrue();
        assertThat(decoder.buffered()).isZero();
    }

    @Test
    void an_unknown_command_byte_is_skipped() {
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();
        assertThat(single(decoder.feed(concat(bytes(0x02, 0x10, 0x77), KerongCodec.statusAnswer(0x10, 0, 0))))
                .cmd()).isEqualTo(0x35);
        assertThat(decoder.rejected()).isEqualTo(1);
    }

    @Test
    void a_frame_split_across_reads_is_completed_byte_by_byte() {
        byte[] good = KerongCodec.statusAnswer(0x50, 0x1234, 0x00FF);
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < good.length; i++) {
            List<Frame> found = decoder.feed(good, i, 1);
            if (i < good.length - 1) {
                assertThat(found).as("partial after %d bytes", i + 1).isEmpty();
            }
            frames.addAll(found);
        }
        assertThat(single(frames).board()).isEqualTo(5);
    }

    @Test
    void several_frames_in_one_read_come_out_in_order() {
        List<Frame> frames = new KerongCodec.Decoder().feed(concat(KerongCodec.statusAnswer(0x00, 0, 0),
                bytes(0x55), KerongCodec.command(0x11, 0x31), KerongCodec.statusAnswer(0x10, 0, 0)));

        assertThat(frames).extracting(Frame::addr, Frame::cmd).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0x00, 0x35), org.assertj.core.groups.Tuple.tuple(0x11, 0x31),
                org.assertj.core.groups.Tuple.tuple(0x10, 0x35));
    }

    @Test
    void data_bytes_equal_to_stx_or_etx_do_not_break_a_frame() {
        Frame frame = single(new KerongCodec.Decoder().feed(KerongCodec.statusAnswer(0x00, 0x0302, 0x0203)));
        assertThat(frame.data()).containsExactly(bytes(0x02, 0x03, 0x03, 0x02));
    }

    @Test
    void endless_garbage_never_grows_the_buffer_past_its_limit() {
        KerongCodec.Decoder decoder = new KerongCodec.Decoder();
        byte[] junk = new byte[5000];
        java.util.Arrays.fill(junk, (byte) 0x02);
        junk[1] = 0x35; // makes the decoder wait for a 9-byte frame at most; the rest is dropped as it goes
        decoder.feed(junk);
        assertThat(decoder.buffered()).isLessThanOrEqualTo(KerongCodec.MAX_BUFFER);
        assertThat(single(decoder.feed(KerongCodec.statusAnswer(0x70, 0, 0))).board()).isEqualTo(7);
    }

    @Test
    void commands_take_bytes_only() {
        assertThatThrownBy(() -> KerongCodec.command(0x100, 0x30)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Frame single(List<Frame> frames) {
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }
}
