"""tradecalc.io"""
