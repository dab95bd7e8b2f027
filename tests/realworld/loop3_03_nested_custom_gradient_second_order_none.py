"""To give a Python op a custom second derivative, the user nests `@tf.custom_gradient`: the
outer op returns `x*5` with a backward function `grad` that is itself decorated and returns
`dy*5` together with `grad2`, meant to supply the second-order gradient. Two nested tapes then
take dy/dx (5, as expected) and d2y/dx2. The inner backward function only depends on `dy`,
not on `x`, and its own custom gradient `grad2` is never consulted for `x`: the first-order
gradient `dydx` is not connected to `x` on the outer tape, so `tape.gradient(dydx, x)` is
None (the user expected 1; 'This will not be executed' is never printed). The workaround from
the thread is to make the backward pass a custom-gradient function of both `x` and `dy`
(`lambda dy: grad(x, dy)`), so the outer tape sees the dependence on `x`.
---
source: https://github.com/tensorflow/tensorflow/issues/34503
framework: both
outcome: gradient_none
cause: custom_gradient_none
also: [disconnected]
line: 33
variables: [x]
xfail: "the ops that tape2.gradient runs (the custom backward function) are not recorded, so the outer tape's target looks unrelated to x: wrong_sources instead of the backward function that ignores x"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.random.set_seed(0)


@tf.custom_gradient
def op(x):
  @tf.custom_gradient
  def grad(dy):
    def grad2(dx, ddy):
      print('This will not be executed')
      return 1, 1 # I return a second-order gradient wrt to x and a gradient wrt to dy
    return dy*5, grad2
  return x*5, grad


x = tf.random.normal((1,))
with tf.GradientTape() as tape:
  tape.watch(x)
  with tf.GradientTape() as tape2:
    tape2.watch(x)
    y = op(x)
  dydx = tape2.gradient(y, x)
d2ydx2 = tape.gradient(dydx, x)
print("dy/dx:", dydx.numpy())
print("d2y/dx2:", d2ydx2)
