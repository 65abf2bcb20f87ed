package dev.denoiser.kafka.publish;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Which Kafka client failures leave a transactional producer unusable (Kafka's producer Javadoc
 * lists them).
 */
final class KafkaErrors {
  private KafkaErrors() {}

  /**
   * True for failures after which the producer must be closed: fenced by a newer producer with the
   * same transactional.id or by the group, out of sequence, not authorized, unsupported, or in an
   * illegal state. Other failures abort the transaction and are retried.
   */
  /**
   * True for failures that belong to one record and that no retry can cure: too large for the
   * producer or the topic, invalid, or not serializable. Such a record is replaced, never retried
   * as it is.
   */
  static boolean recordRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
          || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
          || t instanceof org.apache.kafka.common.InvalidRecordException
          || t instanceof org.apache.kafka.common.errors.SerializationException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static boolean fatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException
          || t instanceof FencedInstanceIdException
          || t instanceof OutOfOrderSequenceException
          || t instanceof AuthorizationException
          || t instanceof TransactionalIdAuthorizationException
          || t instanceof AuthenticationException
          || t instanceof UnsupportedVersionException
          || t instanceof IllegalStateException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
