"""A one-unit Keras "model" that is just an Embedding(input_dim=5, output_dim=1) whose table is
initialised to all zeros (`weights=[np.ones((5, 1)) * 0.0]`), compiled with binary_crossentropy and
Adam and fitted on all-ones targets. The user reported that Adam never updates the embedding.
No error is raised, but the gradient is exactly zero: the embedding value is used directly as the
probability with no sigmoid, and binary_crossentropy clips its input to [eps, 1 - eps]. The output
0.0 sits below the clip range, so the clip passes back a gradient of 0 and the table stays
at zero, while the loss stays flat at about -log(eps) (16.12 in Keras 3, 15.43 in tf-keras). Fix: squash the output into
(0, 1) (a sigmoid Activation or Dense(1, activation="sigmoid") after the embedding), or use
`from_logits=True` and a non-degenerate initial value.
---
source: https://github.com/tensorflow/tensorflow/issues/28487
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 30
variables: [embedding/embeddings]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from tensorflow.keras.layers import Input, Embedding
from tensorflow.keras import Model
import numpy as np
import tensorflow as tf
import tensorflow.keras as keras

tf.random.set_seed(0)
np.random.seed(0)

my_input = Input(batch_shape=(None,1))
my_embed = (Embedding(input_dim=5, output_dim=1, weights=[ np.ones((5, 1))  * 0.0  ])(my_input))
keras_model = Model(my_input, my_embed)


keras_model.compile( loss='binary_crossentropy',
                    metrics=['binary_accuracy'],
                    optimizer=keras.optimizers.Adam() )

batch = np.ones(1000)
batch
history = keras_model.fit(x=batch, y=np.ones((1000, 1, 1)), epochs=5, verbose=0)
print("loss per epoch:", [round(float(l), 4) for l in history.history["loss"]])
print("trainable:", [getattr(v, "path", v.name) for v in keras_model.trainable_variables])
print("embedding table after training:", keras_model.get_weights()[0].ravel())
