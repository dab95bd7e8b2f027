"""When the recorder stands down (stops logging ops), and what it keeps until then."""
import tensorflow as tf

from gradtrace.record.recorder import EAGER_WARMUP_CALLS, STAND_DOWN_AFTER_OPS, Recorder


def healthy_step(w):
    with tf.GradientTape() as tape:
        loss = w * 2.0
    return tape.gradient(loss, w)


def test_it_keeps_logging_until_a_finished_tape_opens_again():
    """A GAN's second tape needs the ops that ran before the first one."""
    w = tf.Variable(1.0)
    with Recorder() as recorder:
        for _ in range(EAGER_WARMUP_CALLS):
            healthy_step(w)
        assert recorder._callback_on  # done, but no tape of the next step yet
        healthy_step(w)
        assert not recorder._callback_on


def test_it_stands_down_after_a_bounded_number_of_ops_when_no_tape_comes_back():
    w = tf.Variable(1.0)
    identity = tf.function(lambda x: x)
    with Recorder() as recorder:
        for _ in range(EAGER_WARMUP_CALLS):
            healthy_step(w)
        x = tf.constant(0.0)
        for _ in range(STAND_DOWN_AFTER_OPS + 1):
            x = x + 1.0  # eager inference after training, say
        assert recorder._callback_on  # not inside an op callback
        identity(x)  # a safe point
        assert not recorder._callback_on


def test_freezing_a_model_before_it_is_built_is_recorded_without_an_internal_error():
    """tf-keras' Sequential raises ValueError from `variables` until its first call."""
    keras = tf.keras
    with Recorder() as recorder:
        backbone = keras.Sequential([keras.layers.Dense(4)], name="unbuilt_backbone")
        backbone.trainable = False
        backbone(tf.ones((1, 3)))
    assert recorder.internal_errors == []
    assert id(backbone) in recorder.layer_freezes
