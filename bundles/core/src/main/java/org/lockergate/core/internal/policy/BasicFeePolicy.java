package org.lockergate.core.internal.policy;

import java.time.Duration;
import java.time.Instant;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.spi.FeePolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The built-in fee (R5 without holidays; the rules bundle adds them): free for 24 h after the door closed, then
 * ¥0.50 per started 12 h, capped at ¥3.00; no fee unless the recipient accepted the fee terms; a pickup exactly at
 * the end of the free period is free. Integer fen.
 */
@Component(service = FeePolicy.class, configurationPid = BasicFeePolicy.PID,
        property = "service.ranking:Integer=-100")
@Designate(ocd = BasicFeePolicy.Config.class)
public class BasicFeePolicy implements FeePolicy {

    public static final String PID = "org.lockergate.core.fee";

    @ObjectClassDefinition(name = "LockerGate basic fee policy", description = "Overdue fee without holidays (R5).")
    public @interface Config {
        @AttributeDefinition(name = "Free period (hours)", min = "0")
        int freeHours() default 24;

        @AttributeDefinition(name = "Charging period (hours)", min = "1")
        int periodHours() default 12;

        @AttributeDefinition(name = "Rate per started period (fen)", min = "0")
        long rateFen() default 50;

        @AttributeDefinition(name = "Cap (fen)", min = "0")
        long capFen() default 300;
    }

    /** The numbers of the rule. */
    public record Rule(Duration free, Duration period, long rateFen, long capFen) {
        public static final Rule DEFAULT = new Rule(Duration.ofHours(24), Duration.ofHours(12), 50, 300);
    }

    private volatile Rule rule;

    public BasicFeePolicy() {
        this(Rule.DEFAULT);
    }

    public BasicFeePolicy(Rule rule) {
        this.rule = rule;
    }

    @Activate
    @Modified
    void configure(Config config) {
        rule = new Rule(Duration.ofHours(Math.max(0, config.freeHours())),
                Duration.ofHours(Math.max(1, config.periodHours())), Math.max(0, config.rateFen()),
                Math.max(0, config.capFen()));
    }

    @Override
    public Fee quote(Parcel parcel, Instant at) {
        Rule r = rule;
        if (parcel.depositedAt() == null) {
            return Fee.free(null, "尚未投递 / Not deposited yet");
        }
        Instant freeUntil = parcel.depositedAt().plus(r.free());
        if (parcel.consent() == null || !parcel.consent().feeTermsAccepted()) {
            return Fee.free(freeUntil, "未接受收费条款，不收取超时费 / Fee terms not accepted: no overdue fee");
        }
        if (!at.isAfter(freeUntil)) {
            return Fee.free(freeUntil, describe(r));
        }
        Duration overdue = Duration.between(freeUntil, at);
        long periodNanos = r.period().toNanos();
        long periods = (overdue.toNanos() + periodNanos - 1) / periodNanos;
        long fee = periods * r.rateFen();
        boolean capped = fee > r.capFen();
        long charged = capped ? r.capFen() : fee;
        return new Fee(charged, freeUntil, overdue, (int) Math.min(Integer.MAX_VALUE, periods), capped,
                "超时 " + periods + " 个计费周期，应付 " + yuan(charged) + (capped ? "（已封顶）" : "") + " / " + periods
                        + " started period(s) overdue: " + yuan(charged) + (capped ? " (capped)" : ""));
    }

    /** The rule in words, for the notification. */
    public static String describe(Rule r) {
        return "免费保管 " + r.free().toHours() + " 小时，超时每 " + r.period().toHours() + " 小时 " + yuan(r.rateFen())
                + "，最高 " + yuan(r.capFen()) + " / Free for " + r.free().toHours() + " h, then " + yuan(r.rateFen())
                + " per started " + r.period().toHours() + " h, at most " + yuan(r.capFen());
    }

    static String yuan(long fen) {
        return "¥" + fen / 100 + "." + String.format("%02d", fen % 100);
    }
}
