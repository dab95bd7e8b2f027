"""DeepFM (SparrowRecSys DeepFM_v2) with a custom ReduceLayer for the FM sum / square-sum terms; its __init__ sets attributes without calling super().__init__(), so Keras raises a RuntimeError the first time the layer is called, before any model or gradient exists.

---
source: https://github.com/wzhe06/SparrowRecSys/pull/34
framework: both
outcome: error
cause: missing_super_init
line: [26, 27]
variables: []
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

num_movies, num_users, num_genres = 50, 80, 19
inputs = {
    "movieId": tf.keras.layers.Input(name="movieId", shape=(1,), dtype="int32"),
    "userId": tf.keras.layers.Input(name="userId", shape=(1,), dtype="int32"),
    "movieGenre1": tf.keras.layers.Input(name="movieGenre1", shape=(1,), dtype="int32"),
    "dense": tf.keras.layers.Input(name="dense", shape=(7,), dtype="float32"),
}


class ReduceLayer(tf.keras.layers.Layer):
    def __init__(self, axis, op="sum", **kwargs):
        self.axis = axis
        self.op = op
        assert self.op in ["sum", "mean"]

    def build(self, input_shape):
        pass

    def call(self, input, **kwargs):
        if self.op == "sum":
            return tf.reduce_sum(input, axis=self.axis)
        elif self.op == "mean":
            return tf.reduce_mean(input, axis=self.axis)
        return tf.reduce_sum(input, axis=self.axis)


movie_emb = tf.keras.layers.Embedding(num_movies, 10)(inputs["movieId"])
user_emb = tf.keras.layers.Embedding(num_users, 10)(inputs["userId"])
genre_emb = tf.keras.layers.Embedding(num_genres, 10)(inputs["movieGenre1"])
second_order_cat_columns = [tf.keras.layers.Dense(64)(e) for e in (movie_emb, user_emb, genre_emb)]
second_order_deep = tf.keras.layers.Reshape((-1, 64))(tf.keras.layers.Dense(64)(inputs["dense"]))
second_order_fm_feature = tf.keras.layers.Concatenate(axis=1)(second_order_cat_columns + [second_order_deep])

first_order_feature = tf.keras.layers.Dense(1)(inputs["dense"])
deep_feature = tf.keras.layers.Flatten()(second_order_fm_feature)
deep_feature = tf.keras.layers.Dense(16, activation="relu")(deep_feature)

second_order_sum_feature = ReduceLayer(1)(second_order_fm_feature)
second_order_sum_square_feature = tf.keras.layers.multiply([second_order_sum_feature, second_order_sum_feature])
second_order_square_feature = tf.keras.layers.multiply([second_order_fm_feature, second_order_fm_feature])
second_order_square_sum_feature = ReduceLayer(1)(second_order_square_feature)
second_order_fm_feature = tf.keras.layers.subtract([second_order_sum_square_feature, second_order_square_sum_feature])

concatenated_outputs = tf.keras.layers.Concatenate(axis=1)([first_order_feature, second_order_fm_feature, deep_feature])
output_layer = tf.keras.layers.Dense(1, activation="sigmoid")(concatenated_outputs)
model = tf.keras.Model(inputs, output_layer)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

n = 64
data = {"movieId": np.random.randint(0, num_movies, (n, 1)), "userId": np.random.randint(0, num_users, (n, 1)),
        "movieGenre1": np.random.randint(0, num_genres, (n, 1)), "dense": np.random.rand(n, 7).astype("float32")}
model.fit(data, np.random.randint(0, 2, (n, 1)).astype("float32"), epochs=1, batch_size=16, verbose=0)
