package io.jepoll.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Reads a byte count: {@code 65536}, or with a binary suffix, {@code 64k}, {@code 256m}, {@code 2g}. */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            int shift = switch (text.charAt(text.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            long amount = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1));
            if (amount < 0 || amount > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return amount << shift;
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size: use e.g. 65536, 64k, 256m, 2g");
        }
    }
}
