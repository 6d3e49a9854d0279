package io.jepoll.cli;

import io.jepoll.loop.Transport;
import picocli.CommandLine;

/** Reads {@code et}, {@code lt}, {@code nio} or {@code blocking}. */
final class TransportConverter implements CommandLine.ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
        try {
            return Transport.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
