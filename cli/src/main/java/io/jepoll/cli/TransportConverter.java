package io.jepoll.cli;

import io.jepoll.loop.Transport;
import picocli.CommandLine;

/**
 * Reads {@code et}, {@code lt}, {@code nio} or {@code blocking}: a picocli
 * {@link CommandLine.ITypeConverter} shared by jepoll's commands and its benchmark tools. Picocli
 * is an optional dependency of the library; only command-line code loads this class.
 */
public final class TransportConverter implements CommandLine.ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
        try {
            return Transport.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
