package dev.eventflow.processor.app;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class UncaughtExceptionPolicyTest {

    @Test
    void shouldReplaceTheThreadOnTransientErrors() {
        assertThat(StreamProcessorApp.onUncaughtException(new StreamsException(new TimeoutException("broker gone"))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(StreamProcessorApp.onUncaughtException(new StreamsException(new ProducerFencedException("fenced"))))
                .isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldShutDownOnErrorsThatRetryingCannotFix() {
        assertThat(StreamProcessorApp.onUncaughtException(new MissingSourceTopicException("provider.events.raw missing")))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(StreamProcessorApp.onUncaughtException(new StreamsException(new TopicAuthorizationException("denied"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(StreamProcessorApp.onUncaughtException(new StreamsException(new OutOfMemoryError("heap"))))
                .isEqualTo(SHUTDOWN_CLIENT);
    }
}
