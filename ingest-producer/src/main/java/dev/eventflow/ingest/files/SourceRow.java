package dev.eventflow.ingest.files;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record read from a file, before it is wrapped in an envelope.
 *
 * @param line        the record's line (the header is line 1)
 * @param payload     the record: an object of column name to text, or a JSON line's value (a JSON
 *                    string holding the text when the line is not valid JSON)
 * @param contentHash SHA-256 (hex) of the record's text as read
 */
public record SourceRow(long line, JsonNode payload, String contentHash) {
}
