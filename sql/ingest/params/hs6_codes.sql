SELECT hs6 FROM clean.products
