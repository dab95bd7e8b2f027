"""Two-branch regressor: one branch turns a Dense output into embedding indices (Rescaling, then a Lambda
that casts to int32 and clips) and feeds them to an Embedding. The cast cuts the gradient, so model.fit
warns that the first Dense of that branch gets no gradient and never trains.

---
source: https://github.com/keras-team/tf-keras/issues/826
framework: both
outcome: warning
cause: integer_cast
line: 30
also: [nondifferentiable_op]
variables: [dense/kernel, dense/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Dense, Embedding, Flatten, Input, Rescaling, concatenate, Lambda
from tensorflow.keras.models import Model

num_indices = 10
embedding_dim = 5
p = 5

input_layer = Input(shape=(p,), name='input_layer')
embedding_branch = Dense(num_indices, activation='tanh')(input_layer)
# need to rescale output to interval (0, 10) before integer cast
embedding_branch = Rescaling(5, 5, name='rescaling')(embedding_branch)
embedding_branch = Lambda(lambda x: tf.clip_by_value(tf.cast(x, tf.int32), 0, num_indices - 1))(embedding_branch)
embedding_branch = Embedding(input_dim=num_indices, output_dim=embedding_dim, name='embedding')(embedding_branch)
embedding_branch = Flatten()(embedding_branch)
embedding_branch = Dense(3, activation='relu')(embedding_branch)

dense_branch = Dense(20, activation='relu')(input_layer)
dense_branch = Dense(3, activation='relu')(dense_branch)

final_layer = concatenate([dense_branch, embedding_branch], name='concatenate_layer')
final_out = Dense(1, activation='linear')(final_layer)
model = Model(inputs=input_layer, outputs=final_out)
model.compile(optimizer='adam', loss='mse')

X = np.random.rand(32, p).astype('float32')
y = np.random.rand(32, 1).astype('float32')
model.fit(X, y, epochs=1, batch_size=16, verbose=0)
print("fit done")
